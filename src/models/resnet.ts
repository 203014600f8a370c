// ImageNet ResNets shaped like torchvision's (He et al. 2015 Table 1): 7x7/2 stem conv, 3x3/2 max
// pool, four stages of 64/128/256/512 filters, option B shortcuts, bottlenecks (x4) from 50 layers
// with the stride on the 3x3 conv. cfg.block swaps the block (e.g. 'plain' for plain-34; for 50+
// 'plain' / 'preact' become their -bottleneck forms); blockOptions.shortcut picks A/B/C.
import { UserError } from '../ground/errors.js';
import { getBlock, hasBlock } from '../blocks/registry.js';
import type { RegisteredBlock } from '../blocks/types.js';
import type { ModelConfig } from '../config/schema.js';
import type { NetworkSpec } from './network.js';
import { head, stem } from './parts.js';
import { resolveBlockOptions, runStages } from './stages.js';

export const RESNET_BLOCKS: Record<string, { blocks: number[]; bottleneck: boolean }> = {
  resnet18: { blocks: [2, 2, 2, 2], bottleneck: false },
  resnet34: { blocks: [3, 4, 6, 3], bottleneck: false },
  resnet50: { blocks: [3, 4, 6, 3], bottleneck: true },
  resnet101: { blocks: [3, 4, 23, 3], bottleneck: true },
  resnet152: { blocks: [3, 8, 36, 3], bottleneck: true },
};

function blockFor(name: string, bottleneck: boolean): RegisteredBlock {
  const block = getBlock(name);
  if (!bottleneck || block.expansion === 4) return block;
  if (name === 'basic') return getBlock('bottleneck');
  if (hasBlock(`${name}-bottleneck`)) return getBlock(`${name}-bottleneck`);
  throw new UserError(
    `block "${name}" has no bottleneck form (expansion 4) for ResNet-50 and deeper; use one with expansion 4`,
  );
}

export function resnetNetwork(cfg: ModelConfig, inputShape: number[], numClasses: number): NetworkSpec {
  const variant = cfg.variant ?? `resnet${cfg.depth}`;
  const spec = RESNET_BLOCKS[variant];
  if (!spec)
    throw new UserError(
      `model.variant "${variant}" is not an ImageNet ResNet; choose one of ${Object.keys(RESNET_BLOCKS).join(', ')}`,
    );
  if (inputShape.length !== 3)
    throw new UserError(
      `model.family "resnet" needs image input [height, width, channels], got [${inputShape}]`,
    );
  const block = blockFor(cfg.block, spec.bottleneck);
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
    settings: { norm: cfg.norm, activation: cfg.activation, init: cfg.init },
    build(x, ctx) {
      x = stem(ctx, x, { filters: 64, kernel: 7, stride: 2, bare: block.preActivation });
      x = ctx.scope('stem').maxPool(x, { size: 3, stride: 2 });
      // torchvision's ResNets use projection shortcuts where shapes change (option B).
      x = runStages(x, ctx, stages, block, 'B', options);
      return head(ctx, x, numClasses, block);
    },
  };
}
