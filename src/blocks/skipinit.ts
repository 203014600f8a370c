// SkipInit: a pre-activation residual branch (norm optional) ending in a learned scalar alpha = 0,
// which makes each block the identity at initialisation and lets unnormalised ResNets train.
import { z } from 'zod';
import { shortcut, shortcutOf, shortcutOption } from './common.js';
import type { BlockDefinition } from './types.js';

export const skipinit: BlockDefinition = {
  name: 'skipinit',
  description: 'x + alpha * F(x), F = (norm-act-conv) x2 pre-activation branch, alpha initialised at 0',
  reference:
    'De, Smith 2020, "Batch Normalization Biases Residual Blocks Towards the Identity Function in Deep Networks"',
  residual: true,
  layers: 2,
  preActivation: true,
  options: z.strictObject({
    shortcut: shortcutOption,
    alpha: z.number().default(0).describe('initial value of the branch multiplier'),
  }),
  build(x, ctx, args) {
    const { filters, stride } = args;
    let y = ctx.conv('conv1', ctx.normAct('bn1', x), { filters, kernel: 3, stride });
    ctx.tap('conv1', y);
    y = ctx.conv('conv2', ctx.normAct('bn2', y, { tap: 'conv1' }), { filters, kernel: 3 });
    ctx.tap('conv2', y);
    y = ctx.scale('alpha', y, { init: Number(args.options.alpha ?? 0) });
    return ctx.add(shortcut(ctx, x, filters, stride, shortcutOf(args)), y);
  },
};

export default [skipinit];
