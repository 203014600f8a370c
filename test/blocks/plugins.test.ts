// User blocks from one file: the shipped example end to end, and each way a plugin can go wrong.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { getBlock } from '../../src/blocks/registry.js';
import { buildModel, traceModel } from '../../src/models/index.js';
import { loadPlugins } from '../../src/plugins.js';
import { cfg, oneBackwardPass } from '../models/helpers.js';

const EXAMPLE = resolve('examples/custom-block/experiment.json');
let dir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'gradflow-plugin-test-'));
});

function plugin(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}

const blockSource = (name: string, build: string) => `
export default function (gradflow) {
  gradflow.registerBlock({
    name: '${name}', description: 'test block', reference: 'none', residual: true,
    build(x, ctx, { filters, stride }) { ${build} },
  });
}`;

test('the example plugin runs from its experiment file: loads, builds, trains one step', async () => {
  const experiment = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  const blocks = await loadPlugins(experiment.plugins, dirname(EXAMPLE));
  expect(blocks.map((b) => b.name)).toEqual(['scaled-shortcut']);
  expect(getBlock('scaled-shortcut').source).toBe(resolve('examples/custom-block/scaled-shortcut.ts'));
  expect(experiment.sweep['model.block']).toContain('scaled-shortcut');
  // Loading again is a no-op, not a duplicate.
  await loadPlugins(experiment.plugins, dirname(EXAMPLE));

  const model = buildModel(
    cfg({ ...experiment.base.model, block: 'scaled-shortcut', depth: 8 }),
    [12, 12, 1],
    10,
    0,
  );
  const grads = oneBackwardPass(model, 2);
  for (const [name, g] of grads) expect([name, g !== null && g.every(Number.isFinite)]).toEqual([name, true]);
  // The shortcut really is scaled: 3 stages x 1 multiply each.
  const t = traceModel(
    cfg({ ...experiment.base.model, block: 'scaled-shortcut', depth: 8 }),
    [12, 12, 1],
    10,
  );
  expect(t.ops.filter((o) => o.type === 'multiply').map((o) => o.attrs.factor)).toEqual([0.5, 0.5, 0.5]);
  model.dispose();
});

test('a .mjs plugin and a .ts plugin importing from gradflow-lab both register', async () => {
  const mjs = plugin(
    'ok.mjs',
    blockSource('mjs-block', 'return ctx.add(x, ctx.conv("conv1", x, { filters, kernel: 3, stride }));'),
  );
  const ts = plugin(
    'ok.ts',
    `import { registerBlock } from 'gradflow-lab';
     import type { Act } from 'gradflow-lab';
     const id = (x: Act): Act => x;
     registerBlock({ name: 'ts-block', description: 'd', reference: 'r', residual: false,
       build: (x, ctx, { filters, stride }) => id(ctx.conv('conv1', x, { filters, kernel: 1, stride })) });`,
  );
  const blocks = await loadPlugins([mjs, ts]);
  expect(blocks.map((b) => [b.name, b.source])).toEqual([
    ['mjs-block', mjs],
    ['ts-block', ts],
  ]);
  expect(traceModel(cfg({ block: 'ts-block', depth: 8, width: 4 }), [8, 8, 3], 10).outputShape).toEqual([
    1, 10,
  ]);
});

test('missing plugin file', async () => {
  await expect(loadPlugins(['./nope.ts'], dir)).rejects.toThrow(
    `plugin file not found: ${join(dir, 'nope.ts')} (listed as "./nope.ts")`,
  );
});

test('syntax error names the file, line and column', async () => {
  const file = plugin('broken.ts', 'export default function (g) {\n  g.registerBlock({ name: "x", \n');
  await expect(loadPlugins([file])).rejects.toThrow(
    new RegExp(`plugin ${file}:3:1 failed to load: '}' expected`),
  );
});

test('a .js plugin that throws on import names the file', async () => {
  const file = plugin('throws.mjs', 'throw new Error("boom");');
  await expect(loadPlugins([file])).rejects.toThrow(`plugin ${file} failed to load: boom`);
});

test('duplicate block name names both sources', async () => {
  const file = plugin('dup.mjs', blockSource('basic', 'return x;'));
  await expect(loadPlugins([file])).rejects.toThrow(
    `block "basic" from ${file} is already registered by built-in (src/blocks/basic.ts); choose another name`,
  );
  expect(getBlock('basic').source).toBe('built-in (src/blocks/basic.ts)');
});

test('a plugin that registers nothing says how to register', async () => {
  const file = plugin('empty.mjs', 'export const x = 1;');
  await expect(loadPlugins([file])).rejects.toThrow(
    /registered nothing: export default function \(gradflow\)/,
  );
});

test('a block returning the wrong shape is named with its file and place', async () => {
  const file = plugin(
    'wide.mjs',
    blockSource('too-wide', 'return ctx.conv("conv1", x, { filters: filters * 2, kernel: 3, stride });'),
  );
  await loadPlugins([file]);
  expect(() => traceModel(cfg({ block: 'too-wide', depth: 8, width: 4 }), [8, 8, 3], 10)).toThrow(
    `block "too-wide" (${file}) at stage1.block1 returned shape [8,8,8] per example, expected [8,8,4]`,
  );
  expect(() => buildModel(cfg({ block: 'too-wide', depth: 8, width: 4 }), [8, 8, 3], 10, 0)).toThrow(
    /block "too-wide"/,
  );
});

test('a block that fails while building is named with its file and place', async () => {
  const file = plugin('tfdirect.mjs', blockSource('uses-tf', 'return x.relu();'));
  await loadPlugins([file]);
  expect(() => traceModel(cfg({ block: 'uses-tf', depth: 8, width: 4 }), [8, 8, 3], 10)).toThrow(
    new RegExp(
      `block "uses-tf" \\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) at stage1.block1 failed: .*relu`,
    ),
  );
});
