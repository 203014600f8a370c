// He et al. 2015 Sec. 4.2 CIFAR family: 3x3 stem, three stages of n blocks on maps of
// size/1, /2, /4 with width, 2x, 4x filters, global average pooling, one dense layer.
// Depth counts weighted layers: 2 + 3 * n * (layers per block) = 6n+2 (basic), 9n+2 (bottleneck).
import { UserError } from '../ground/errors.js';
import type { RegisteredBlock } from '../blocks/types.js';
import type { ModelConfig } from '../config/schema.js';
import type { NetworkSpec } from './network.js';
import { resolveBlockOptions, runStages } from './stages.js';
import { head, stem } from './parts.js';

export function validDepths(layersPerBlock: number, count = 8): number[] {
  return Array.from({ length: count }, (_, i) => 2 + 3 * (i + 1) * layersPerBlock);
}

export function cifarNetwork(
  cfg: ModelConfig,
  inputShape: number[],
  numClasses: number,
  block: RegisteredBlock,
): NetworkSpec {
  if (inputShape.length !== 3) {
    throw new UserError(
      `model.family "cifar" needs image input [height, width, channels], got [${inputShape}]`,
    );
  }
  const perStage = (cfg.depth - 2) / (3 * block.layers);
  if (!Number.isInteger(perStage) || perStage < 1) {
    const k = 3 * block.layers;
    throw new UserError(
      `model.depth ${cfg.depth} is impossible for family "cifar" with block "${block.name}" (${block.layers} weighted layers per block): ` +
        `depth must be ${k}n+2, e.g. ${validDepths(block.layers).join(', ')}, ...`,
    );
  }
  const options = resolveBlockOptions(block, cfg.blockOptions);
  const w = cfg.width;
  const stages = [
    { filters: w, blocks: perStage, stride: 1 },
    { filters: 2 * w, blocks: perStage, stride: 2 },
    { filters: 4 * w, blocks: perStage, stride: 2 },
  ];
  return {
    name: `cifar-${block.name}-d${cfg.depth}`,
    residual: block.residual,
    settings: { norm: cfg.norm, activation: cfg.activation, init: cfg.init },
    build(x, ctx) {
      x = stem(ctx, x, { filters: w, kernel: 3, stride: 1, bare: block.preActivation });
      x = runStages(x, ctx, stages, block, cfg.shortcut, options);
      return head(ctx, x, numClasses, block);
    },
  };
}
