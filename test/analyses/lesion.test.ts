// The lesion study: deleting a block passes its input through (what its identity shortcut
// carries), down-sampling blocks are listed as not removable, a plugin block is lesioned by its
// shape alone, and `lesionRun` rows agree with the run's own evaluation.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lesionRun } from '../../src/analyses/lesion.js';
import { RunConfig } from '../../src/config/schema.js';
import { initEngine } from '../../src/engine/index.js';
import { buildModel, type BlockSite } from '../../src/models/index.js';
import type { Model } from '../../src/models/types.js';
import { loadPlugins } from '../../src/plugins.js';
import { runTraining } from '../../src/train/run.js';
import { removeTempDirs, tempDir } from '../data/helpers.js';
import { tinyConfig } from '../train/helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu', quiet: true });
});
afterAll(removeTempDirs);

const INPUT = [8, 8, 1];
const model = (block: string, skip: string[] = [], sites?: BlockSite[]): Model =>
  buildModel(RunConfig.parse({ model: { depth: 8, width: 4, block } }).model, INPUT, 10, 3, {
    skipBlocks: new Set(skip),
    onBlock: (site) => sites?.push(site),
  });

/** `to` takes every parameter of `from` it has (a lesioned net has fewer). */
function copyWeights(from: Model, to: Model): void {
  const byName = new Map(from.params.map((p) => [p.name, p.variable]));
  for (const p of to.params) p.variable.assign(byName.get(p.name)!);
}

function logits(m: Model, x: tf.Tensor): Float32Array {
  return tf.tidy(() => m.forward(x, { training: false }).logits.dataSync() as Float32Array);
}

const input = (): tf.Tensor => tf.randomNormal([4, ...INPUT], 0, 1, 'float32', 7);

test('deleting a residual block whose branch outputs zero leaves the predictions bit-identical', () => {
  const intact = model('basic');
  // The branch's last batch norm outputs zero: the block is then its identity shortcut, relu(x) = x.
  for (const p of intact.params.filter((q) => /^stage1\.block1\.bn2\.(gamma|beta)$/.test(q.name))) {
    p.variable.assign(tf.zerosLike(p.variable));
  }
  const lesioned = model('basic', ['stage1.block1']);
  copyWeights(intact, lesioned);
  expect(lesioned.params.some((p) => p.name.startsWith('stage1.block1.'))).toBe(false);
  const x = input();
  expect(Array.from(logits(lesioned, x))).toEqual(Array.from(logits(intact, x)));
  // ... while deleting it with a live branch changes them.
  const live = model('basic');
  const liveLesioned = model('basic', ['stage1.block1']);
  copyWeights(live, liveLesioned);
  expect(Array.from(logits(liveLesioned, x))).not.toEqual(Array.from(logits(live, x)));
  tf.dispose([x]);
  [intact, lesioned, live, liveLesioned].forEach((m) => m.dispose());
});

test('deleting a plain block changes the predictions; down-sampling blocks cannot be deleted', () => {
  const sites: BlockSite[] = [];
  const intact = model('plain', [], sites);
  expect(sites.map((s) => [s.path, s.removable, s.reason ?? ''])).toEqual([
    ['stage1.block1', true, ''],
    ['stage2.block1', false, 'down-sampling block'],
    ['stage3.block1', false, 'down-sampling block'],
  ]);
  const lesioned = model('plain', ['stage1.block1']);
  copyWeights(intact, lesioned);
  const x = input();
  expect(Array.from(logits(lesioned, x))).not.toEqual(Array.from(logits(intact, x)));
  expect(() => model('plain', ['stage2.block1'])).toThrow(
    /cannot delete stage2\.block1: its input and output shapes differ/,
  );
  tf.dispose(x);
  intact.dispose();
  lesioned.dispose();
});

test('a plugin block is lesioned through its shape: a zero-gated branch deletes to the same predictions', async () => {
  const dir = tempDir('lesion-plugin');
  const file = join(dir, 'gated.mjs');
  writeFileSync(
    file,
    `export default function (g) {
       g.registerBlock({ name: 'gated-test', description: 'x + 0 * F(x)', residual: true,
         build(x, ctx, { filters, stride }) {
           const y = ctx.scale('gate', ctx.norm('bn1', ctx.conv('conv1', x, { filters, kernel: 3, stride })), { init: 0 });
           return ctx.add(ctx.shortcutA(x, filters, stride), y);
         } });
     }`,
  );
  await loadPlugins([file]);
  const intact = model('gated-test');
  const lesioned = model('gated-test', ['stage1.block1']);
  copyWeights(intact, lesioned);
  const x = input();
  expect(Array.from(logits(lesioned, x))).toEqual(Array.from(logits(intact, x)));
  tf.dispose(x);
  intact.dispose();
  lesioned.dispose();
});

test('lesionRun on a trained run: intact error is the run own test error; every block is listed; k-block draws', async () => {
  const results = tempDir('lesion-run');
  // Depth 14: two blocks per stage, so each stage has one deletable block after its first.
  const cfg = tinyConfig({
    model: { depth: 14 },
    train: { steps: 8 },
    data: { trainSize: 128, testSize: 64 },
  });
  const manifest = await runTraining(
    { id: 'r', experiment: 'e', config: cfg },
    { resultsDir: results, backend: 'cpu', quiet: true },
  );
  const before = tf.memory().numTensors;
  const out = await lesionRun(join(results, 'r'), { examples: 1000, maxK: 2, draws: 2, seed: 0 });
  expect(tf.memory().numTensors).toBe(before);
  if (out.status !== 'done') throw new Error(out.reason);
  const intact = out.rows.find((r) => r.mode === 'intact')!;
  expect(intact.error).toBeCloseTo(manifest.final!.testError, 10);
  expect(out.rows.find((r) => r.mode === 'chance')!.error).toBeCloseTo(0.9, 10);
  const single = out.rows.filter((r) => r.mode === 'single');
  expect(single.map((r) => [r.block, r.status])).toEqual([
    ['stage1.block1', 'ok'],
    ['stage1.block2', 'ok'],
    ['stage2.block1', 'not removable: down-sampling block'],
    ['stage2.block2', 'ok'],
    ['stage3.block1', 'not removable: down-sampling block'],
    ['stage3.block2', 'ok'],
  ]);
  expect(single.filter((r) => r.status !== 'ok').every((r) => Number.isNaN(r.error))).toBe(true);
  const random = out.rows.filter((r) => r.mode === 'random');
  expect(random.map((r) => [r.k, r.draw])).toEqual([
    [1, 0],
    [1, 1],
    [2, 0],
    [2, 1],
  ]);
  expect(random.filter((r) => r.k === 2).every((r) => r.block.split('+').length === 2)).toBe(true);
  // Seeded draws: the same settings give the same sets.
  const again = await lesionRun(join(results, 'r'), { examples: 1000, maxK: 2, draws: 2, seed: 0 });
  if (again.status !== 'done') throw new Error(again.reason);
  expect(again.rows.filter((r) => r.mode === 'random').map((r) => r.block)).toEqual(
    random.map((r) => r.block),
  );
}, 120_000);

test('runs that cannot be lesioned are skipped with the reason', async () => {
  const results = tempDir('lesion-skip');
  const out = await lesionRun(join(results, 'missing'), { examples: 10, maxK: 1, draws: 1, seed: 0 });
  expect(out).toEqual({ status: 'skipped', reason: 'no manifest.json' });
});
