// He et al. 2015 basic residual block: two 3x3 conv-norm layers, addition, then the activation.
import { z } from 'zod';
import { convNorm, convNormAct, shortcut, shortcutOf, shortcutOption } from './common.js';
import type { BlockDefinition } from './types.js';

export const basic: BlockDefinition = {
  name: 'basic',
  description:
    'two 3x3 conv-norm layers + shortcut (option A identity/zero-pad, B projection where shapes change, C projection)',
  reference: 'He, Zhang, Ren, Sun 2015, "Deep Residual Learning for Image Recognition" (Fig. 2, Sec. 3.3)',
  residual: true,
  layers: 2,
  options: z.strictObject({ shortcut: shortcutOption }),
  build(x, ctx, args) {
    const { filters, stride } = args;
    let y = convNormAct(ctx, 'conv1', 'bn1', x, { filters, kernel: 3, stride });
    y = convNorm(ctx, 'conv2', 'bn2', y, { filters, kernel: 3 });
    return ctx.act(ctx.add(y, shortcut(ctx, x, filters, stride, shortcutOf(args))), { tap: 'conv2' });
  },
};

export default [basic];
