// Fixup: residual learning without normalisation. The branch's first conv is initialised with He
// init scaled by L^(-1/(2m-2)) (L residual branches, m = 2 layers each), its last conv at zero,
// and scalar biases before each conv and activation plus a scalar multiplier replace norm's affine.
// The classifier starts at zero too (zeroInitHead). The block never normalises, whatever the model's `norm` (set norm: none for the stem too).
import { z } from 'zod';
import { shortcut, shortcutOf, shortcutOption } from './common.js';
import type { BlockDefinition } from './types.js';

export const fixup: BlockDefinition = {
  name: 'fixup',
  description:
    'normalisation-free basic block: scaled init L^(-1/2), zero-init last conv, scalar biases and multiplier',
  reference:
    'Zhang, Dauphin, Ma 2019, "Fixup Initialization: Residual Learning Without Normalization" (Sec. 3)',
  residual: true,
  layers: 2,
  zeroInitHead: true,
  options: z.strictObject({ shortcut: shortcutOption }),
  build(x, ctx, args) {
    const { filters, stride, numBlocks } = args;
    const m = 2;
    const gain = numBlocks ** (-1 / (2 * m - 2));
    const xb = ctx.bias('bias1a', x, { init: 0 });
    let y = ctx.bias(
      'bias1b',
      ctx.conv('conv1', xb, { filters, kernel: 3, stride, bias: false, init: { gain } }),
      { init: 0 },
    );
    ctx.tap('conv1', y);
    y = ctx.act(y, { tap: 'conv1' });
    y = ctx.conv('conv2', ctx.bias('bias2a', y, { init: 0 }), {
      filters,
      kernel: 3,
      bias: false,
      init: 'zeros',
    });
    y = ctx.bias('bias2b', ctx.scale('multiplier', y, { init: 1 }), { init: 0 });
    ctx.tap('conv2', y);
    // The official code feeds the down-sampling shortcut x + bias1a as well.
    const sc = shortcut(ctx, xb, filters, stride, shortcutOf(args));
    return ctx.act(ctx.add(y, sc), { tap: 'conv2' });
  },
};

export default [fixup];
