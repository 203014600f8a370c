// The block API a real variant needs, on the two shipped examples: stochastic depth draws per example
// only in training, the same for the same step (resume-safe); ResNet-D's projection is a shortcut layer
// that leaves the main path's depth indices as basic's; a run's identity holds only the plugin it uses.
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import { RunConfig } from '../../src/config/schema.js';
import { buildModel, traceModel } from '../../src/models/index.js';
import { loadPlugins } from '../../src/plugins.js';
import { runIdentity } from '../../src/train/identity.js';
import { cfg } from '../models/helpers.js';

const SD = resolve('examples/block-variants/stochastic-depth.ts');
const RESNET_D = resolve('examples/block-variants/resnet-d.ts');

beforeAll(async () => {
  await tf.setBackend('cpu');
  await loadPlugins([SD, RESNET_D]);
});

test('dropPath: per example in training, the same draw for the same step, none outside training', () => {
  const model = buildModel(
    cfg({ depth: 8, width: 4, block: 'stochastic-depth', blockOptions: { survival: 0.2 } }),
    [8, 8, 1],
    3,
    0,
  );
  const x = tf.randomNormal([16, 8, 8, 1], 0, 1, 'float32', 3);
  const out = (o: { training: boolean; dropoutSeed?: number }) =>
    tf.tidy(() => model.forward(x, o).logits.arraySync() as number[][]);
  const step7 = out({ training: true, dropoutSeed: 7 });
  expect(out({ training: true, dropoutSeed: 7 })).toEqual(step7); // a resumed step draws the same
  expect(out({ training: true, dropoutSeed: 8 })).not.toEqual(step7);
  expect(out({ training: false })).toEqual(out({ training: false }));
  tf.dispose(x);
  model.dispose();
});

test('ctx.training and ctx.random reach a block: true only in training, random fixed per step and key', async () => {
  const seen: { training: boolean; r: number }[] = [];
  (globalThis as Record<string, unknown>).__gradflowSeen = seen;
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const file = resolve(mkdtempSync(`${tmpdir()}/gradflow-api-`), 'probe-block.mjs');
  writeFileSync(
    file,
    `export default function (gradflow) {
      gradflow.registerBlock({ name: 'sees-mode', description: 't', reference: 'none', residual: true,
        build(x, ctx, { filters, stride }) {
          globalThis.__gradflowSeen.push({ training: ctx.training, r: ctx.random('coin') });
          const y = ctx.norm('bn1', ctx.conv('conv1', x, { filters, kernel: 3, stride }));
          return ctx.act(ctx.add(y, ctx.shortcutA(x, filters, stride)));
        } });
    }`,
  );
  await loadPlugins([file]);
  const model = buildModel(cfg({ depth: 8, width: 4, block: 'sees-mode' }), [8, 8, 1], 3, 0);
  const x = tf.zeros([2, 8, 8, 1]);
  const pass = (o: { training: boolean; dropoutSeed?: number }) => {
    seen.length = 0;
    tf.tidy(() => model.forward(x, o).logits);
    return seen.map((s) => ({ ...s }));
  };
  const a = pass({ training: true, dropoutSeed: 5 });
  expect(a.every((s) => s.training)).toBe(true);
  expect(new Set(a.map((s) => s.r)).size).toBe(a.length); // each block's key draws its own
  expect(pass({ training: true, dropoutSeed: 5 })).toEqual(a);
  expect(pass({ training: true, dropoutSeed: 6 }).map((s) => s.r)).not.toEqual(a.map((s) => s.r));
  expect(pass({ training: false }).every((s) => !s.training)).toBe(true);
  tf.dispose(x);
  model.dispose();
});

test("ResNet-D's projections are shortcut layers; the main path's depth indices are basic's", () => {
  const layers = (block: string) => traceModel(cfg({ depth: 8, width: 4, block }), [16, 16, 3], 10).layers;
  const d = layers('resnet-d');
  const main = d.filter((l) => l.kind !== 'shortcut');
  const basic = layers('basic');
  expect(main.map((l) => [l.name, l.depthIndex])).toEqual(basic.map((l) => [l.name, l.depthIndex]));
  const projections = d.filter((l) => l.kind === 'shortcut');
  expect(projections.map((l) => l.name)).toEqual([
    'stage2.block1.shortcut.conv',
    'stage3.block1.shortcut.conv',
  ]);
  // Each joins the main path where its block starts: the index of the last layer of the stage before.
  const stage1End = basic.filter((l) => l.name.startsWith('stage1.')).at(-1)!.depthIndex;
  expect(projections[0].depthIndex).toBe(stage1End);
});

test('a run identity holds the plugins its config uses, not every plugin the experiment lists', () => {
  const identityOf = (block: string) =>
    runIdentity(RunConfig.parse({ model: { depth: 8, block } }), [SD, RESNET_D], null).plugins.map(
      (p) => p.file,
    );
  expect(identityOf('plain')).toEqual([]);
  expect(identityOf('resnet-d')).toEqual(['resnet-d.ts']);
  expect(identityOf('stochastic-depth')).toEqual(['stochastic-depth.ts']);
});
