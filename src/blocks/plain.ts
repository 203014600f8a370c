// The plain counterparts of He et al. 2015's residual blocks: the same layers, no shortcut.
import { convNormAct } from './common.js';
import type { BlockDefinition } from './types.js';

const REFERENCE =
  'He, Zhang, Ren, Sun 2015, "Deep Residual Learning for Image Recognition" (plain nets, Sec. 3.3)';

export const plain: BlockDefinition = {
  name: 'plain',
  description: 'two 3x3 conv-norm-act layers, no shortcut',
  reference: REFERENCE,
  residual: false,
  layers: 2,
  options: {},
  build(x, ctx, { filters, stride }) {
    const y = convNormAct(ctx, 'conv1', 'bn1', x, { filters, kernel: 3, stride });
    return convNormAct(ctx, 'conv2', 'bn2', y, { filters, kernel: 3 });
  },
};

export const plainBottleneck: BlockDefinition = {
  name: 'plain-bottleneck',
  description: '1x1-3x3-1x1 conv-norm-act (expansion 4), no shortcut',
  reference: REFERENCE,
  residual: false,
  expansion: 4,
  layers: 3,
  options: {},
  build(x, ctx, { filters, stride }) {
    let y = convNormAct(ctx, 'conv1', 'bn1', x, { filters, kernel: 1 });
    y = convNormAct(ctx, 'conv2', 'bn2', y, { filters, kernel: 3, stride });
    return convNormAct(ctx, 'conv3', 'bn3', y, { filters: filters * 4, kernel: 1 });
  },
};

export default [plain, plainBottleneck];
