// Transfer from a pretrained run: what is frozen stays bit-identical (batch-norm moving statistics
// included), what is trained moves, and a mismatched source is refused by parameter name.
import { join } from 'node:path';
import { runTraining } from '../../src/train/run.js';
import { applyTransfer, stageOf } from '../../src/train/transfer.js';
import { buildModel } from '../../src/models/index.js';
import { ModelConfig } from '../../src/config/schema.js';
import { loadCheckpoint, type NamedArray } from '../../src/weights/checkpoint.js';
import { tempResults, tinyConfig } from './helpers.js';

const opts = (dir: string) => ({ resultsDir: dir, backend: 'cpu', quiet: true });
const weights = (runDir: string) =>
  new Map(
    loadCheckpoint(runDir)!
      .tensors.filter((t) => !t.name.includes(':'))
      .map((t) => [t.name, t] as [string, NamedArray]),
  );
const same = (a: NamedArray, b: NamedArray) => a.data.every((v, i) => Object.is(v, b.data[i]));

let dir: string;
let source: string;

beforeAll(async () => {
  dir = tempResults();
  // pretrain on classes 0-4, transfer to 5-9 (the Yosinski et al. split)
  await runTraining(
    {
      id: 'src',
      experiment: 'pre',
      config: tinyConfig({ data: { classes: [0, 1, 2, 3, 4] }, train: { steps: 8 } }),
    },
    opts(dir),
  );
  source = join(dir, 'src');
});

const target = () => tinyConfig({ data: { classes: [5, 6, 7, 8, 9] }, train: { steps: 6 } });

async function transferRun(id: string, mode: 'linear' | 'finetune' | 'finetune-last', stages = 1) {
  const cfg = { ...target(), transfer: { from: source, mode, stages } };
  const m = await runTraining({ id, experiment: 'tgt', config: cfg }, opts(dir));
  expect(m.status).toBe('completed');
  return weights(join(dir, id));
}

test('linear probe: the body (BN moving statistics too) is bit-identical, the head changes', async () => {
  const before = weights(source);
  const after = await transferRun('linear', 'linear');
  for (const [name, t] of after)
    if (stageOf(name) !== 'head')
      expect({ name, same: same(t, before.get(name)!) }).toEqual({ name, same: true });
  // the head trained: it moved away from its value at the start of the transfer run
  const headAtStart = loadCheckpoint(join(dir, 'linear'))!.tensors.find(
    (t) => t.name === 'init:head.dense.kernel',
  )!;
  expect(same(after.get('head.dense.kernel')!, headAtStart)).toBe(false);
  expect([...after.keys()].some((n) => n.endsWith('moving_mean'))).toBe(true);
});

test('finetune-last with 1 stage changes exactly the last stage and the head', async () => {
  const before = weights(source);
  const after = await transferRun('last1', 'finetune-last', 1);
  const stages = [...new Set([...after.keys()].map(stageOf))].filter((s) => s !== 'head');
  const last = stages[stages.length - 1];
  for (const [name, t] of after) {
    const stage = stageOf(name);
    if (stage === 'head') continue;
    const changed = !same(t, before.get(name)!);
    if (stage === last && !name.includes('moving'))
      expect({ name, changed }).toEqual({ name, changed: true });
    if (stage !== last) expect({ name, changed }).toEqual({ name, changed: false });
  }
});

test('a source whose architecture differs is refused, naming the first mismatching parameter', async () => {
  const cfg = {
    ...tinyConfig({ model: { width: 8 }, data: { classes: [5, 6, 7, 8, 9] } }),
    transfer: { from: source, mode: 'finetune' as const, stages: 1 },
  };
  await expect(runTraining({ id: 'bad', experiment: 'tgt', config: cfg }, opts(dir))).rejects.toThrow(
    /parameter stem\.conv\.kernel is \[3,3,1,8\] here, \[3,3,1,4\] in the source/,
  );
});

test('scratch: the same recipe from a random init, nothing loaded, nothing frozen', async () => {
  const cfg = { ...target(), transfer: { mode: 'scratch' as const, stages: 1 } };
  const m = await runTraining({ id: 'scratch', experiment: 'tgt', config: cfg }, opts(dir));
  expect(m.status).toBe('completed');
  const ckpt = loadCheckpoint(join(dir, 'scratch'))!;
  const init = new Map(
    ckpt.tensors.filter((t) => t.name.startsWith('init:')).map((t) => [t.name.slice(5), t]),
  );
  const pretrained = weights(source);
  // It started from its own random weights, not the source's, and every layer trained.
  expect(same(init.get('stem.conv.kernel')!, pretrained.get('stem.conv.kernel')!)).toBe(false);
  const after = weights(join(dir, 'scratch'));
  expect(same(after.get('stem.conv.kernel')!, init.get('stem.conv.kernel')!)).toBe(false);
});

test('lrScale: named stages, "*" for the rest, an unknown stage refused by name', () => {
  const model = buildModel(ModelConfig.parse({ family: 'cifar', depth: 8, width: 4 }), [8, 8, 1], 5, 0);
  const plan = applyTransfer(model, { mode: 'scratch', stages: 1, lrScale: { '*': 5, head: 10 } }, dir);
  expect([
    plan.lrScale('stem.conv.kernel'),
    plan.lrScale('stage2.block1.conv1.kernel'),
    plan.lrScale('head.dense.kernel'),
  ]).toEqual([5, 5, 10]);
  expect(plan.frozen.size).toBe(0);
  expect(() => applyTransfer(model, { mode: 'scratch', stages: 1, lrScale: { stage9: 2 } }, dir)).toThrow(
    'transfer.lrScale: unknown stage "stage9" (stages: stem, stage1, stage2, stage3, head, or * for the rest)',
  );
  model.dispose();
});
