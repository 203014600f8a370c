// He et al. 2015 Sec. 4.2 CIFAR family: 3x3 stem, three stages of n blocks on maps of
// size/1, /2, /4 with width, 2x, 4x filters, global average pooling, one dense layer.
// Depth counts weighted layers: 2 + 3 * n * (layers per block) = 6n+2 (basic), 9n+2 (bottleneck).
import { getBlock } from '../blocks/registry.js';
import { assertBuildable, onlyBlock, unknownBlock, requireImage, type ModelFamily } from './family.js';
import { head, stem } from './parts.js';
import { resolveBlockOptions, runStages } from './stages.js';

export function validDepths(layersPerBlock: number, count = 8): number[] {
  return Array.from({ length: count }, (_, i) => 2 + 3 * (i + 1) * layersPerBlock);
}

export const cifarFamily: ModelFamily = {
  name: 'cifar',
  description:
    'He et al. 2015 CIFAR nets: 3x3 stem, three stages of n blocks, global pooling, one dense layer',
  check(cfg, blocks) {
    const block = blocks.get(cfg.block);
    if (!block) return [unknownBlock(cfg.block, blocks)];
    const k = 3 * block.layers;
    const perStage = (cfg.depth - 2) / k;
    if (Number.isInteger(perStage) && perStage >= 1) return [];
    return [
      {
        path: 'model.depth',
        message:
          `model.depth ${cfg.depth} is impossible for family "cifar" with block "${block.name}" (${block.layers} weighted layers per block): ` +
          `depth must be ${k}n+2, e.g. ${validDepths(block.layers).join(', ')}, ...`,
      },
    ];
  },
  weightedLayers: (cfg) => cfg.depth,
  network(cfg, inputShape, numClasses, lesion) {
    requireImage('cifar', inputShape);
    const block = getBlock(cfg.block);
    assertBuildable(cifarFamily, cfg, onlyBlock(block));
    const perStage = (cfg.depth - 2) / (3 * block.layers);
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
      settings: { norm: cfg.norm, activation: cfg.activation, init: cfg.init, padding: cfg.padding },
      build(x, ctx) {
        x = stem(ctx, x, { filters: w, kernel: 3, stride: 1, bare: block.preActivation });
        x = runStages(x, ctx, stages, block, cfg.shortcut, options, lesion);
        return head(ctx, x, numClasses, block);
      },
    };
  },
};
