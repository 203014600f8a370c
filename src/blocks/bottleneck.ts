// He et al. 2015 bottleneck: 1x1 reduce, 3x3, 1x1 expand (x4). The stride sits on the 3x3 conv,
// as in torchvision ("ResNet v1.5"), which is what its published parameter counts assume.
import { z } from 'zod';
import { convNorm, convNormAct, shortcut, shortcutOf, shortcutOption } from './common.js';
import type { BlockDefinition } from './types.js';

export const bottleneck: BlockDefinition = {
  name: 'bottleneck',
  description: '1x1-3x3-1x1 conv-norm layers (expansion 4) + shortcut (option A/B/C)',
  reference: 'He, Zhang, Ren, Sun 2015, "Deep Residual Learning for Image Recognition" (Fig. 5, Sec. 4.1)',
  residual: true,
  expansion: 4,
  layers: 3,
  options: z.strictObject({ shortcut: shortcutOption }),
  build(x, ctx, args) {
    const { filters, stride } = args;
    let y = convNormAct(ctx, 'conv1', 'bn1', x, { filters, kernel: 1 });
    y = convNormAct(ctx, 'conv2', 'bn2', y, { filters, kernel: 3, stride });
    y = convNorm(ctx, 'conv3', 'bn3', y, { filters: filters * 4, kernel: 1 });
    return ctx.act(ctx.add(y, shortcut(ctx, x, filters * 4, stride, shortcutOf(args))), { tap: 'conv3' });
  },
};

export default [bottleneck];
