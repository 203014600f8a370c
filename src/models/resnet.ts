// ImageNet ResNets shaped like torchvision's (He et al. 2015 Table 1): 7x7/2 stem conv, 3x3/2 max
// pool, four stages of 64/128/256/512 filters, option B shortcuts, bottlenecks (x4) from 50 layers
// with the stride on the 3x3 conv. cfg.block swaps the block (e.g. 'plain' for plain-34; for 50+
// 'plain' / 'preact' become their -bottleneck forms); blockOptions.shortcut picks A/B/C.
import { getBlock } from '../blocks/registry.js';
import type { ModelConfig } from '../config/schema.js';
import {
  assertBuildable,
  registeredBlocks,
  requireImage,
  unknownBlock,
  type BlockLookup,
  type ModelFamily,
} from './family.js';
import { head, stem } from './parts.js';
import { resolveBlockOptions, runStages } from './stages.js';

export const RESNET_BLOCKS: Record<string, { blocks: number[]; bottleneck: boolean }> = {
  resnet18: { blocks: [2, 2, 2, 2], bottleneck: false },
  resnet34: { blocks: [3, 4, 6, 3], bottleneck: false },
  resnet50: { blocks: [3, 4, 6, 3], bottleneck: true },
  resnet101: { blocks: [3, 4, 23, 3], bottleneck: true },
  resnet152: { blocks: [3, 8, 36, 3], bottleneck: true },
};

const variantOf = (cfg: ModelConfig): string => cfg.variant ?? `resnet${cfg.depth}`;

/** The block a stage uses: from ResNet-50 on, the bottleneck form of model.block. */
function blockNameFor(name: string, bottleneck: boolean, blocks: BlockLookup): string | undefined {
  const block = blocks.get(name);
  if (!block) return undefined;
  if (!bottleneck || block.expansion === 4) return name;
  if (name === 'basic') return 'bottleneck';
  return blocks.get(`${name}-bottleneck`) ? `${name}-bottleneck` : undefined;
}

export const resnetFamily: ModelFamily = {
  name: 'resnet',
  description:
    'ImageNet ResNets as torchvision shapes them (He et al. 2015 Table 1); model.variant, or resnet<depth>',
  check(cfg, blocks) {
    const variant = variantOf(cfg);
    const spec = RESNET_BLOCKS[variant];
    if (!spec) {
      return [
        {
          path: cfg.variant === undefined ? 'model.depth' : 'model.variant',
          message: `model.variant "${variant}" is not an ImageNet ResNet; choose one of ${Object.keys(RESNET_BLOCKS).join(', ')}`,
        },
      ];
    }
    if (!blocks.get(cfg.block)) return [unknownBlock(cfg.block, blocks)];
    if (!blockNameFor(cfg.block, spec.bottleneck, blocks)) {
      return [
        {
          path: 'model.block',
          message: `block "${cfg.block}" has no bottleneck form (expansion 4) for ResNet-50 and deeper; use one with expansion 4`,
        },
      ];
    }
    return [];
  },
  weightedLayers(cfg) {
    const spec = RESNET_BLOCKS[variantOf(cfg)];
    return spec ? spec.blocks.reduce((a, b) => a + b, 0) * (spec.bottleneck ? 3 : 2) + 2 : 0;
  },
  network(cfg, inputShape, numClasses, lesion) {
    assertBuildable(resnetFamily, cfg, registeredBlocks);
    requireImage('resnet', inputShape);
    const variant = variantOf(cfg);
    const spec = RESNET_BLOCKS[variant];
    const block = getBlock(blockNameFor(cfg.block, spec.bottleneck, registeredBlocks)!);
    const options = resolveBlockOptions(block, cfg.blockOptions);
    const stages = [64, 128, 256, 512].map((filters, i) => ({
      filters,
      blocks: spec.blocks[i],
      stride: i === 0 ? 1 : 2,
    }));
    const standard = block.name === (spec.bottleneck ? 'bottleneck' : 'basic');
    return {
      name: standard ? variant : `${variant}-${block.name}`,
      residual: block.residual,
      settings: { norm: cfg.norm, activation: cfg.activation, init: cfg.init, padding: cfg.padding },
      build(x, ctx) {
        x = stem(ctx, x, { filters: 64, kernel: 7, stride: 2, bare: block.preActivation });
        x = ctx.scope('stem').maxPool(x, { size: 3, stride: 2 });
        // torchvision's ResNets use projection shortcuts where shapes change (option B).
        x = runStages(x, ctx, stages, block, 'B', options, lesion);
        return head(ctx, x, numClasses, block);
      },
    };
  },
};
