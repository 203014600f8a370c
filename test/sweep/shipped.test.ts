// The experiment files the README points users at must plan cleanly: schema, blocks, depths,
// label budgets and @run-id references, checked exactly as `gradflow run` checks them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadExperiment } from '../../src/sweep/load.js';
import { sourceRunId } from '../../src/sweep/dependencies.js';
import { repoRoot } from './cli-helper.js';

const dir = join(repoRoot, 'experiments');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('shipped experiments', () => {
  it('include the transfer experiments', () => {
    expect(files).toEqual(
      expect.arrayContaining(['quick.json', 'transfer.json', 'transfer-fashion-mnist.json']),
    );
  });

  it.each(files)('%s plans without problems, each run id once', async (file) => {
    const experiment = await loadExperiment(join(dir, file));
    expect(experiment.name).toBe(file.replace(/\.json$/, ''));
    const ids = experiment.specs.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('transfer.json: 9 pretrained runs first, each transfer run after its own source', async () => {
    const { specs } = await loadExperiment(join(dir, 'transfer.json'));
    expect(specs).toHaveLength(153);
    const position = new Map(specs.map((s, i) => [s.id, i]));
    expect(specs.slice(0, 9).every((s) => s.id.endsWith('-pretrain'))).toBe(true);
    for (const spec of specs) {
      const source = sourceRunId(spec.config);
      if (source === undefined) continue;
      expect(position.get(source)).toBeLessThan(position.get(spec.id)!);
      const sourceConfig = specs[position.get(source)!].config;
      expect({ id: spec.id, model: sourceConfig.model, seed: sourceConfig.seed }).toEqual({
        id: spec.id,
        model: spec.config.model,
        seed: spec.config.seed,
      });
    }
    expect(specs.filter((s) => s.config.transfer?.mode === 'scratch')).toHaveLength(36);
  });
});
