// Fully connected nets, the vanishing-gradient playground: a dense stem to `width` units, blocks,
// and a dense head. Any registered block works: on vector inputs the context turns each conv into
// a dense layer of `filters` units, so 'plain' is a plain MLP, 'basic' / 'rezero' / 'fixup' / ...
// the residual MLPs with the same weighted layers. Depth = 2 + blocks * (layers per block).
import { UserError } from '../ground/errors.js';
import type { RegisteredBlock } from '../blocks/types.js';
import type { ModelConfig } from '../config/schema.js';
import type { NetworkSpec } from './network.js';
import { head } from './parts.js';
import { resolveBlockOptions, runStages } from './stages.js';

export function mlpNetwork(
  cfg: ModelConfig,
  inputShape: number[],
  numClasses: number,
  block: RegisteredBlock,
): NetworkSpec {
  const blocks = (cfg.depth - 2) / block.layers;
  if (!Number.isInteger(blocks) || blocks < 0) {
    const valid = Array.from({ length: 6 }, (_, i) => 2 + i * block.layers);
    throw new UserError(
      `model.depth ${cfg.depth} is impossible for family "mlp" with block "${block.name}" (${block.layers} weighted layers per block): ` +
        `depth must be 2 + ${block.layers}k, e.g. ${valid.join(', ')}, ...`,
    );
  }
  const options = resolveBlockOptions(block, cfg.blockOptions);
  const width = cfg.width;
  return {
    name: `mlp-${block.name}-d${cfg.depth}-w${width}`,
    residual: block.residual,
    settings: { norm: cfg.norm, activation: cfg.activation, init: cfg.init },
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
      y = runStages(y, ctx, [{ filters: width, blocks, stride: 1 }], block, cfg.shortcut, options);
      return head(ctx, y, numClasses, block);
    },
  };
}
