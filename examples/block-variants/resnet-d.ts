// ResNet-D's shortcut (He et al. 2019, "Bag of Tricks", Fig. 2c) as a gradflow plugin: where a block
// down-samples, the shortcut averages 2x2 windows before a stride-1 1x1 projection, instead of a
// stride-2 1x1 projection that reads one pixel in four. The projection sits in a `shortcut` scope, so
// layers.csv gives it kind "shortcut" and the depth index of the block's input: the main path keeps
// the same depth indices as the basic block's.
// Outside this repository, import the types from 'gradflow-lab' instead of the relative path.
import type { PluginApi } from '../../src/index.js';

export default function register(gradflow: PluginApi): void {
  gradflow.registerBlock({
    name: 'resnet-d',
    description: 'basic block with an average-pool + 1x1 projection shortcut where it down-samples',
    reference:
      'He, Zhang, Zhang, Zhang, Xie, Li 2019, "Bag of Tricks for Image Classification" (Sec. 4.1, Fig. 2c)',
    residual: true,
    build(x, ctx, { filters, stride }) {
      let y = ctx.normAct('bn1', ctx.conv('conv1', x, { filters, kernel: 3, stride }), {
        response: 'conv1',
        tap: 'conv1',
      });
      y = ctx.norm('bn2', ctx.conv('conv2', y, { filters, kernel: 3 }));
      ctx.tap('conv2', y);
      const channels = x.shape[x.shape.length - 1];
      let identity = x;
      if (stride !== 1 || channels !== filters) {
        const sc = ctx.scope('shortcut');
        const pooled = stride === 1 ? x : sc.avgPool(x, { size: stride, stride, padding: 'valid' });
        identity = sc.norm('bn', sc.conv('conv', pooled, { filters, kernel: 1 }));
      }
      return ctx.act(ctx.add(y, identity), { tap: 'conv2' });
    },
  });
}
