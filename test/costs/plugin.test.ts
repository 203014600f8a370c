// A user block written to a plugin file is analysed with no analyzer code of its own: through an
// experiment file that lists the plugin, and through `analyze --plugin`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import analyze from '../../src/cli/commands/analyze.js';
import { analyzeTarget } from '../../src/costs/analyze.js';
import { builtinTarget, resolveTargets } from '../../src/costs/targets.js';
import { runHandler } from './run-command.js';

const dir = mkdtempSync(join(tmpdir(), 'gradflow-analysis-'));
const blockName = `scaled-basic-${process.pid}`;

// The basic block with a learnable scalar on the residual branch (ReZero/SkipInit style).
writeFileSync(
  join(dir, 'scaled-block.mjs'),
  `export default function (gradflow) {
  gradflow.registerBlock({
    name: '${blockName}',
    description: 'basic block with a learnable branch scale',
    reference: 'test plugin',
    residual: true,
    layers: 2,
    build(x, ctx, { filters, stride }) {
      let y = ctx.act(ctx.norm('bn1', ctx.conv('conv1', x, { filters, kernel: 3, stride })));
      y = ctx.scale('alpha', ctx.norm('bn2', ctx.conv('conv2', y, { filters, kernel: 3 })), { init: 0 });
      const changes = stride !== 1 || x.shape[3] !== filters;
      return ctx.act(ctx.add(y, changes ? ctx.shortcutA(x, filters, stride) : x));
    },
  });
}
`,
);
writeFileSync(
  join(dir, 'scaled.json'),
  JSON.stringify({
    name: 'scaled',
    base: {
      data: { name: 'synthetic', size: 32, channels: 3 },
      model: { family: 'cifar', depth: 8, block: blockName },
    },
    plugins: ['./scaled-block.mjs'],
  }),
);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a plugin block, analysed for free', () => {
  test('through an experiment file: the counts of the basic net plus what the block adds', async () => {
    const [target] = await resolveTargets([join(dir, 'scaled.json')]);
    expect(target.label).toMatch(/^scaled\//);
    expect(target.inputShape).toEqual([32, 32, 3]);
    const plugin = analyzeTarget(target, { batch: 8, perLayer: true });
    const basic = analyzeTarget(builtinTarget('cifar-resnet8'), { batch: 8 });
    // one scalar per block (3 blocks at depth 8), no extra MACs
    expect(plugin.trainable_params).toBe(basic.trainable_params + 3);
    expect(plugin.macs).toBe(basic.macs);
    // the scale keeps its input (the bn2 output) for its own gradient: one map per block
    const perExample = 32 * 32 * 16 + 16 * 16 * 32 + 8 * 8 * 64;
    expect(plugin.activation_bytes - basic.activation_bytes).toBe(4 * 8 * perExample);
    expect(plugin.layers!.filter((r) => r.type === 'scale').map((r) => r.name)).toEqual([
      'stage1.block1.alpha',
      'stage2.block1.alpha',
      'stage3.block1.alpha',
    ]);
  });

  test('through `analyze --plugin FILE cifar-<block>-<depth> --json`', async () => {
    const { stdout } = await runHandler(analyze, {
      models: [`cifar-${blockName}-14`],
      plugin: [join(dir, 'scaled-block.mjs')],
      batch: 1,
      perLayer: false,
      json: true,
      csv: false,
      time: false,
    });
    const [row] = JSON.parse(stdout);
    expect(row.model).toBe(`cifar-${blockName}-14`);
    expect(row.trainable_params).toBe(analyzeTarget(builtinTarget('cifar-resnet14')).trainable_params + 6);
  });
});
