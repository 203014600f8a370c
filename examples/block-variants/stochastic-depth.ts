// Stochastic depth (Huang et al. 2016) as a gradflow plugin: a basic block whose residual branch is
// dropped for a whole example with a probability that grows linearly with depth, p_l = (l / L) (1 - p_L),
// and kept branches scaled by 1 / (1 - p) (the inverse form, so evaluation uses the whole net as is).
// `ctx.dropPath` does the per-example draw, seeded by the run's seed and step (a resumed run draws the
// same), and only in training steps: evaluation, lesion and landscape see the deterministic net.
// Outside this repository, import the types from 'gradflow-lab' instead of the relative path.
import type { PluginApi } from '../../src/index.js';

export default function register(gradflow: PluginApi): void {
  const { z } = gradflow;
  gradflow.registerBlock({
    name: 'stochastic-depth',
    description:
      'basic block whose branch is dropped per example with probability rising linearly with depth',
    reference: 'Huang, Sun, Liu, Sedra, Weinberger 2016, "Deep Networks with Stochastic Depth" (Sec. 3)',
    residual: true,
    options: z.strictObject({
      survival: z.number().gt(0).max(1).default(0.5).describe('p_L: survival probability of the last block'),
    }),
    build(x, ctx, { filters, stride, index, numBlocks, options }) {
      let y = ctx.normAct('bn1', ctx.conv('conv1', x, { filters, kernel: 3, stride }), {
        response: 'conv1',
        tap: 'conv1',
      });
      y = ctx.norm('bn2', ctx.conv('conv2', y, { filters, kernel: 3 }));
      ctx.tap('conv2', y);
      const drop = ((index + 1) / numBlocks) * (1 - Number(options.survival));
      const channels = x.shape[x.shape.length - 1];
      const identity = stride === 1 && channels === filters ? x : ctx.shortcutA(x, filters, stride);
      return ctx.act(ctx.add(ctx.dropPath(y, drop), identity), { tap: 'conv2' });
    },
  });
}
