// A gradflow plugin: one file, no edits to gradflow. The default export receives the block API.
// He et al. 2016 (Table 1, "constant scaling") found that scaling the shortcut by 0.5 hurts a
// ResNet-110 badly (12.35% error or no convergence): this block lets you see it in the gradients.
// Outside this repository, import the types from 'gradflow-lab' instead of the relative path.
import type { PluginApi } from '../../src/index.js';

export default function register(gradflow: PluginApi): void {
  const { z } = gradflow;
  gradflow.registerBlock({
    name: 'scaled-shortcut',
    description: 'basic block with a constant-scaled shortcut: act(s * shortcut(x) + F(x))',
    reference: 'He, Zhang, Ren, Sun 2016, "Identity Mappings in Deep Residual Networks" (Sec. 3.1, Table 1)',
    residual: true,
    options: z.strictObject({ scale: z.number().default(0.5).describe('constant multiplying the shortcut') }),
    build(x, ctx, { filters, stride, options }) {
      // Branch: conv-norm-act, conv-norm (He et al. 2015's basic block).
      let y = ctx.norm('bn1', ctx.conv('conv1', x, { filters, kernel: 3, stride }));
      ctx.tap('conv1', y);
      y = ctx.act(y, { tap: 'conv1' });
      y = ctx.norm('bn2', ctx.conv('conv2', y, { filters, kernel: 3 }));
      ctx.tap('conv2', y);
      // Shortcut: option A identity where the shape changes, then the constant scale.
      const channels = x.shape[x.shape.length - 1];
      const identity = stride === 1 && channels === filters ? x : ctx.shortcutA(x, filters, stride);
      return ctx.act(ctx.add(y, ctx.multiply(identity, Number(options.scale))), { tap: 'conv2' });
    },
  });
}
