// Fully connected nets, the vanishing-gradient playground: a dense stem to `width` units, blocks,
// and a dense head. Any registered block works: on vector inputs the context turns each conv into
// a dense layer of `filters` units, so 'plain' is a plain MLP, 'basic' / 'rezero' / 'fixup' / ...
// the residual MLPs with the same weighted layers. Depth = 2 + blocks * (layers per block).
import { getBlock } from '../blocks/registry.js';
import { assertBuildable, onlyBlock, unknownBlock, type ModelFamily } from './family.js';
import { head } from './parts.js';
import { resolveBlockOptions, runStages } from './stages.js';

/** Blocks after the stem: depth = 2 + blocks x (layers per block). */
const blockCount = (depth: number, layers: number): number => (depth - 2) / layers;

export const mlpFamily: ModelFamily = {
  name: 'mlp',
  description: 'fully connected nets: a dense stem, blocks of dense layers, a dense head',
  check(cfg, blocks) {
    const block = blocks.get(cfg.block);
    if (!block) return [unknownBlock(cfg.block, blocks)];
    const n = blockCount(cfg.depth, block.layers);
    if (Number.isInteger(n) && n >= 0) return [];
    const valid = Array.from({ length: 6 }, (_, i) => 2 + i * block.layers);
    return [
      {
        path: 'model.depth',
        message:
          `model.depth ${cfg.depth} is impossible for family "mlp" with block "${block.name}" (${block.layers} weighted layers per block): ` +
          `depth must be 2 + ${block.layers}k, e.g. ${valid.join(', ')}, ...`,
      },
    ];
  },
  weightedLayers: (cfg) => cfg.depth,
  network(cfg, _inputShape, numClasses, lesion) {
    const block = getBlock(cfg.block);
    assertBuildable(mlpFamily, cfg, onlyBlock(block));
    const blocks = blockCount(cfg.depth, block.layers);
    const options = resolveBlockOptions(block, cfg.blockOptions);
    const width = cfg.width;
    return {
      name: `mlp-${block.name}-d${cfg.depth}-w${width}`,
      residual: block.residual,
      settings: { norm: cfg.norm, activation: cfg.activation, init: cfg.init, padding: cfg.padding },
      build(x, ctx) {
        x = ctx.flatten(x);
        const s = ctx.scope('stem');
        let y = s.dense('dense', x, width, { bias: cfg.norm === 'none' });
        if (!block.preActivation) {
          y = s.norm('bn', y);
          s.tap('dense', y);
          y = s.act(y, { tap: 'dense' });
        } else {
          s.tap('dense', y);
        }
        y = runStages(y, ctx, [{ filters: width, blocks, stride: 1 }], block, cfg.shortcut, options, lesion);
        return head(ctx, y, numClasses, block);
      },
    };
  },
};
