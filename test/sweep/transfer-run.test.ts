// A transfer experiment end to end through `gradflow run`: the pretrained runs go first, each
// transfer run starts only after its source completed and loads its weights, and a source that
// fails leaves its dependents unstarted with a message naming it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../src/store/types.js';
import { writeIdxDir } from '../data/helpers.js';
import { ensureBuilt, removeTempDirs, runCli, tempDir } from './cli-helper.js';
import { body, writeExperiment } from './transfer-experiment.js';

afterAll(() => removeTempDirs());
beforeAll(() => ensureBuilt(), 300_000);

const runFlags = ['--backend', process.env.GRADFLOW_SWEEP_TEST_BACKEND ?? 'wasm', '--threads', '1'];

const manifestOf = (dir: string, id: string): Manifest =>
  JSON.parse(readFileSync(join(dir, id, 'manifest.json'), 'utf8'));
describe('gradflow run on a transfer experiment', () => {
  it('--dry-run --only brings the source along and says what waits for what', async () => {
    const dir = tempDir('transfer-dry');
    const file = writeExperiment(dir, {});
    const result = await runCli([
      'run',
      file,
      '--dry-run',
      '--only',
      'finetune$',
      '--results',
      join(dir, 'results'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^cifar-basic-d8-s0-pretrain +to run\ncifar-basic-d8-s0-finetune +to run \(after cifar-basic-d8-s0-pretrain\)\n2 runs of 3 in tl/,
    );
  });

  it('trains the source first, then each mode from it, with two workers', async () => {
    const dir = tempDir('transfer-run');
    const file = writeExperiment(dir, {});
    const result = await runCli(
      ['run', file, '--workers', '2', '--results', join(dir, 'results'), ...runFlags],
      {
        timeoutMs: 300_000,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const exp = join(dir, 'results', 'tl');
    const source = manifestOf(exp, 'cifar-basic-d8-s0-pretrain');
    expect(source.status).toBe('completed');
    const sourceBody = body(join(exp, 'cifar-basic-d8-s0-pretrain'));
    expect(sourceBody.size).toBeGreaterThan(10);
    for (const mode of ['linear', 'finetune']) {
      const id = `cifar-basic-d8-s0-${mode}`;
      const m = manifestOf(exp, id);
      expect({ id, status: m.status }).toEqual({ id, status: 'completed' });
      expect(Date.parse(m.startedAt)).toBeGreaterThanOrEqual(Date.parse(source.endedAt!));
      expect(m.config.transfer?.from).toBe('@cifar-basic-d8-s0-pretrain');
      const after = body(join(exp, id));
      const unchanged = [...after].filter(([name, bytes]) => bytes.equals(sourceBody.get(name)!)).length;
      // Linear: the whole body is the source's, bit for bit; full fine-tuning moved every tensor.
      expect({ id, unchanged }).toEqual({ id, unchanged: mode === 'linear' ? sourceBody.size : 0 });
    }
  }, 300_000);

  it('does not start the runs of a source that failed, and names it', async () => {
    const dir = tempDir('transfer-blocked');
    // Files that are there (the sweep fingerprints their bytes) but are no dataset: the pretraining
    // run fails in its worker.
    const dataset = writeIdxDir(64, 16, 8, 8, false);
    writeFileSync(join(dataset, 'train-images-idx3-ubyte'), 'not an idx file');
    const file = writeExperiment(dir, {
      'data.name': 'fashion-mnist',
      'data.path': dataset,
    });
    const result = await runCli(
      ['run', file, '--workers', '2', '--results', join(dir, 'results'), ...runFlags],
      {
        timeoutMs: 120_000,
      },
    );
    expect(result.code).toBe(1);
    for (const mode of ['linear', 'finetune']) {
      expect(result.stderr).toMatch(
        new RegExp(
          `not run cifar-basic-d8-s0-${mode}: its source run cifar-basic-d8-s0-pretrain is \\w+, not completed`,
        ),
      );
    }
    expect(result.stderr).toMatch(/3 of 3 runs failed/);
  }, 120_000);
});
