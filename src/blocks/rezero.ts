// ReZero: x + alpha * F(x), alpha a learned scalar starting at 0, so every block is the identity at
// initialisation and signals pass through any depth unchanged. Works with or without norm.
import { z } from 'zod';
import { shortcut, shortcutOf, shortcutOption } from './common.js';
import type { BlockDefinition } from './types.js';

export const rezero: BlockDefinition = {
  name: 'rezero',
  description: 'x + alpha * F(x), F = conv-norm-act-conv-norm, learned scalar alpha initialised at 0',
  reference:
    'Bachlechner, Majumder, Mao, Cottrell, McAuley 2020, "ReZero is All You Need: Fast Convergence at Large Depth"',
  residual: true,
  layers: 2,
  options: z.strictObject({
    shortcut: shortcutOption,
    alpha: z.number().default(0).describe('initial value of the residual weight'),
  }),
  build(x, ctx, args) {
    const { filters, stride } = args;
    let y = ctx.norm('bn1', ctx.conv('conv1', x, { filters, kernel: 3, stride }));
    ctx.tap('conv1', y);
    y = ctx.act(y, { tap: 'conv1' });
    y = ctx.norm('bn2', ctx.conv('conv2', y, { filters, kernel: 3 }));
    ctx.tap('conv2', y);
    y = ctx.scale('alpha', y, { init: Number(args.options.alpha ?? 0) });
    return ctx.add(shortcut(ctx, x, filters, stride, shortcutOf(args)), y);
  },
};

export default [rezero];
