// VGG (Simonyan & Zisserman 2015, "Very Deep Convolutional Networks for Large-Scale Image
// Recognition"), shaped like torchvision's: 3x3 convs with bias, optional BN (the _bn variants),
// 2x2 max pools, and a 4096-4096 classifier with dropout. torchvision pools the features to 7x7
// (a no-op at 224x224); here the classifier takes whatever map the input leaves, so small inputs
// train (32x32 gives 1x1x512). cfg.blockOptions: { dropout (0.5), width (64: the first stage's
// filters; the others keep VGG's ratios), classifierWidth (4096, scaled with width) }.
// Parameters: stage1..stage5 (the convs), classifier (fc1, fc2), head (the last dense), so a
// transfer's new head is only the last layer and a linear probe stays linear, as on fc2 features.
import { z } from 'zod';
import { ConfigError } from '../ground/errors.js';
import { assertBuildable, registeredBlocks, requireImage, type ModelFamily } from './family.js';
import type { ModelConfig } from '../config/schema.js';

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
  width: z.number().int().positive().default(64),
  classifierWidth: z.number().int().positive().optional(),
});

export const VGG_VARIANTS = Object.keys(VGG_STAGES).flatMap((v) => [v, `${v}_bn`]);

/** model.variant, or the one depth and norm name (vgg16 + batch norm = vgg16_bn). */
const variantOf = (cfg: ModelConfig): string =>
  cfg.variant ?? `vgg${cfg.depth}${cfg.norm === 'batch' ? '_bn' : ''}`;

function stagesOf(variant: string): { table: Layer[]; bn: boolean } | undefined {
  const match = /^(vgg\d+)(_bn)?$/.exec(variant);
  const table = match ? VGG_STAGES[match[1]] : undefined;
  return match && table ? { table, bn: Boolean(match[2]) } : undefined;
}

export const vggFamily: ModelFamily = {
  name: 'vgg',
  description:
    'VGG as torchvision shapes it (Simonyan & Zisserman 2015); model.variant, or vgg<depth> (+ _bn with batch norm)',
  check(cfg) {
    const variant = variantOf(cfg);
    if (stagesOf(variant)) return [];
    return [
      {
        path: cfg.variant === undefined ? 'model.depth' : 'model.variant',
        message: `model.variant "${variant}" is not a VGG; choose one of ${VGG_VARIANTS.join(', ')}`,
      },
    ];
  },
  // Its convs plus fc1, fc2 and the head.
  weightedLayers: (cfg) => (stagesOf(variantOf(cfg))?.table.filter((l) => l !== 'M').length ?? 0) + 3,
  network(cfg, inputShape, numClasses) {
    assertBuildable(vggFamily, cfg, registeredBlocks);
    requireImage('vgg', inputShape);
    const variant = variantOf(cfg);
    const { table, bn } = stagesOf(variant)!;
    const parsed = VggOptions.safeParse(cfg.blockOptions);
    if (!parsed.success) {
      throw new ConfigError(
        'model.blockOptions',
        `model.blockOptions for ${variant}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const { dropout, width } = parsed.data;
    const classifierWidth = parsed.data.classifierWidth ?? Math.round((4096 * width) / 64);
    const filters = (layer: number) => Math.max(1, Math.round((layer * width) / 64));
    const norm = bn ? 'batch' : 'none';
    return {
      name: variant,
      residual: false,
      settings: { norm, activation: cfg.activation, init: cfg.init, padding: cfg.padding },
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
          const y = s.conv(`conv${conv}`, x, { filters: filters(layer), kernel: 3, bias: true });
          x = s.normAct(`bn${conv}`, y, { response: `conv${conv}`, tap: `conv${conv}` });
          conv += 1;
        }
        const c = ctx.scope('classifier');
        x = ctx.flatten(x);
        for (const fc of ['fc1', 'fc2']) {
          const y = c.dense(fc, x, classifierWidth);
          c.tap(fc, y);
          x = c.dropout(c.act(y, { tap: fc }), dropout);
        }
        return ctx.scope('head').dense('dense', x, numClasses);
      },
    };
  },
};
