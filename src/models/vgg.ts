// VGG (Simonyan & Zisserman 2015, "Very Deep Convolutional Networks for Large-Scale Image
// Recognition"), shaped like torchvision's: 3x3 convs with bias, optional BN (the _bn variants),
// 2x2 max pools, and a 4096-4096 classifier with dropout. torchvision pools the features to 7x7
// (a no-op at 224x224); here the classifier takes whatever map the input leaves, so small inputs
// train (32x32 gives 1x1x512). cfg.blockOptions: { dropout (0.5), classifierWidth (4096) }.
import { z } from 'zod';
import { UserError } from '../cli/errors.js';
import type { ModelConfig } from '../config/schema.js';
import type { NetworkSpec } from './network.js';

type Layer = number | 'M';

export const VGG_STAGES: Record<string, Layer[]> = {
  vgg11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  vgg13: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  vgg16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  vgg19: [
    64,
    64,
    'M',
    128,
    128,
    'M',
    256,
    256,
    256,
    256,
    'M',
    512,
    512,
    512,
    512,
    'M',
    512,
    512,
    512,
    512,
    'M',
  ],
};

const VggOptions = z.strictObject({
  dropout: z.number().min(0).lt(1).default(0.5),
  classifierWidth: z.number().int().positive().default(4096),
});

export const VGG_VARIANTS = Object.keys(VGG_STAGES).flatMap((v) => [v, `${v}_bn`]);

export function vggNetwork(cfg: ModelConfig, inputShape: number[], numClasses: number): NetworkSpec {
  const variant = cfg.variant ?? `vgg${cfg.depth}${cfg.norm === 'batch' ? '_bn' : ''}`;
  const match = /^(vgg\d+)(_bn)?$/.exec(variant);
  const table = match ? VGG_STAGES[match[1]] : undefined;
  if (!match || !table)
    throw new UserError(`model.variant "${variant}" is not a VGG; choose one of ${VGG_VARIANTS.join(', ')}`);
  if (inputShape.length !== 3)
    throw new UserError(
      `model.family "vgg" needs image input [height, width, channels], got [${inputShape}]`,
    );
  const parsed = VggOptions.safeParse(cfg.blockOptions);
  if (!parsed.success) {
    throw new UserError(
      `model.blockOptions for ${variant}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const { dropout, classifierWidth } = parsed.data;
  const norm = match[2] ? 'batch' : 'none';
  return {
    name: variant,
    residual: false,
    settings: { norm, activation: cfg.activation, init: cfg.init },
    build(x, ctx) {
      let stage = 1;
      let conv = 1;
      for (const layer of table) {
        const s = ctx.scope(`stage${stage}`);
        if (layer === 'M') {
          x = s.maxPool(x, { size: 2, stride: 2 });
          stage += 1;
          conv = 1;
          continue;
        }
        const y = s.norm(`bn${conv}`, s.conv(`conv${conv}`, x, { filters: layer, kernel: 3, bias: true }));
        s.tap(`conv${conv}`, y);
        x = s.act(y, { tap: `conv${conv}` });
        conv += 1;
      }
      const h = ctx.scope('head');
      x = ctx.flatten(x);
      for (const fc of ['fc1', 'fc2']) {
        const y = h.dense(fc, x, classifierWidth);
        h.tap(fc, y);
        x = h.dropout(h.act(y, { tap: fc }), dropout);
      }
      return h.dense('dense', x, numClasses);
    },
  };
}
