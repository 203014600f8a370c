// Small pieces several blocks share. They use only the context, so they trace like any block code.
import { z } from 'zod';
import type { Act, BlockArgs, BlockContext, ConvOptions, ShortcutOption } from './types.js';

export const shortcutOption = z
  .enum(['A', 'B', 'C'])
  .optional()
  .describe("He et al. 2015 shortcut (default: the model's `shortcut`)");

/** conv `conv` then norm `bn`; the normalised output is tapped as the conv's Fig. 7 response. */
export function convNorm(ctx: BlockContext, conv: string, bn: string, x: Act, opts: ConvOptions): Act {
  const y = ctx.norm(bn, ctx.conv(conv, x, opts));
  ctx.tap(conv, y);
  return y;
}

/** conv, norm and activation (the pair may run as one op); taps as convNorm and act({ tap: conv }). */
export function convNormAct(ctx: BlockContext, conv: string, bn: string, x: Act, opts: ConvOptions): Act {
  return ctx.normAct(bn, ctx.conv(conv, x, opts), { response: conv, tap: conv });
}

export function channels(x: Act): number {
  return x.shape[x.shape.length - 1];
}

export function shortcutOf(args: BlockArgs): ShortcutOption {
  return (args.options.shortcut as ShortcutOption | undefined) ?? args.shortcut;
}

/**
 * The shortcut path of He et al. 2015: A = identity with stride-2 subsampling and zero-padded
 * channels; B = 1x1 projection (conv + norm, scope `shortcut`) only where the shape changes;
 * C = projection everywhere.
 */
export function shortcut(
  ctx: BlockContext,
  x: Act,
  outChannels: number,
  stride: number,
  option: ShortcutOption,
): Act {
  const changes = stride !== 1 || channels(x) !== outChannels;
  if (option === 'C' || (option === 'B' && changes)) {
    const sc = ctx.scope('shortcut');
    return sc.norm('bn', sc.conv('conv', x, { filters: outChannels, kernel: 1, stride }));
  }
  return changes ? ctx.shortcutA(x, outChannels, stride) : x;
}
