// Stem and head shared by the block-based families.
import type { Act, BlockContext } from '../blocks/types.js';

/**
 * conv (stem.conv) + norm (stem.bn) + activation. `bare`: conv only, for pre-activation nets whose
 * first block normalises its own input (He et al. 2016).
 */
export function stem(
  ctx: BlockContext,
  x: Act,
  o: { filters: number; kernel: number; stride: number; bare: boolean },
): Act {
  const s = ctx.scope('stem');
  const y = s.conv('conv', x, { filters: o.filters, kernel: o.kernel, stride: o.stride });
  if (o.bare) {
    s.tap('conv', y);
    return y;
  }
  return s.normAct('bn', y, { response: 'conv', tap: 'conv' });
}

/**
 * Global average pooling and head.dense to the logits. Pre-activation nets first apply the
 * final norm + activation (final.bn) their last block leaves out (He et al. 2016); Fixup starts
 * the classifier at zero.
 */
export function head(
  ctx: BlockContext,
  x: Act,
  numClasses: number,
  block: { preActivation: boolean; zeroInitHead: boolean },
): Act {
  if (block.preActivation) x = ctx.scope('final').normAct('bn', x);
  const pooled = x.shape.length === 4 ? ctx.globalAvgPool(x) : x;
  return (
    ctx
      .scope('head')
      // No ReLU follows the classifier, so its init preserves variance (LeCun) instead of He's
      // gain of 2: He-initialised logits start too large in deep residual nets, whose stream
      // variance grows with depth, and the first high-lr steps then blow up.
      .dense('dense', pooled, numClasses, { init: block.zeroInitHead ? 'zeros' : { kind: 'lecun' } })
  );
}
