// He et al. 2016 pre-activation units: norm and activation move before each conv, the shortcut
// and the addition stay clean. Placements from its Table 2 that keep the pre-activation shape:
// 'full' (e, the paper's choice: BN-ReLU-conv) and 'relu-only' (d: ReLU-conv-BN).
import { z } from 'zod';
import { channels, shortcut, shortcutOf, shortcutOption } from './common.js';
import type { Act, BlockArgs, BlockContext, BlockDefinition } from './types.js';

const REFERENCE =
  'He, Zhang, Ren, Sun 2016, "Identity Mappings in Deep Residual Networks" (Fig. 4e, Table 2)';
const options = z.strictObject({
  shortcut: shortcutOption,
  placement: z
    .enum(['full', 'relu-only'])
    .default('full')
    .describe('Table 2 (e) full pre-activation or (d) ReLU-only'),
});

function preactBuild(kernels: number[], expansion: number) {
  return (x: Act, ctx: BlockContext, args: BlockArgs): Act => {
    const { filters, stride } = args;
    const full = (args.options.placement ?? 'full') === 'full';
    const out = filters * expansion;
    // The first unit's pre-activation is shared with a projection shortcut (He et al. 2016 code).
    const pre = full ? ctx.normAct('bn1', x) : ctx.act(x);
    let y = pre;
    kernels.forEach((kernel, i) => {
      const n = i + 1;
      // The activation feeding conv n is the post-activation output of conv n-1.
      const tap = `conv${n - 1}`;
      if (n > 1) y = full ? ctx.normAct(`bn${n}`, y, { tap }) : ctx.act(y, { tap });
      // The stride sits on the first 3x3 conv (torchvision's convention for bottlenecks).
      const s = i === kernels.indexOf(3) ? stride : 1;
      y = ctx.conv(`conv${n}`, y, { filters: n === kernels.length ? out : filters, kernel, stride: s });
      if (!full) y = ctx.norm(`bn${n}`, y);
      // Response = what the next unit (or the addition) receives from this conv.
      ctx.tap(`conv${n}`, y);
    });
    const option = shortcutOf(args);
    const changes = stride !== 1 || channels(x) !== out;
    return ctx.add(y, shortcut(ctx, changes && option !== 'A' ? pre : x, out, stride, option));
  };
}

export const preact: BlockDefinition = {
  name: 'preact',
  description: 'full pre-activation basic unit: (norm-act-3x3 conv) x2 + clean identity shortcut',
  reference: REFERENCE,
  residual: true,
  layers: 2,
  preActivation: true,
  options,
  build: preactBuild([3, 3], 1),
};

export const preactBottleneck: BlockDefinition = {
  name: 'preact-bottleneck',
  description: 'full pre-activation bottleneck: norm-act-1x1, norm-act-3x3, norm-act-1x1 (x4) + shortcut',
  reference: REFERENCE,
  residual: true,
  expansion: 4,
  layers: 3,
  preActivation: true,
  options,
  build: preactBuild([1, 3, 1], 4),
};

export default [preact, preactBottleneck];
