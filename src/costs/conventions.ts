// The counting conventions, stated once: `gradflow analyze --help`, the comparison page and the
// README quote this list (count.ts implements it).
export const CONVENTIONS = [
  'MACs: one multiply-add = 1 MAC, per image. Counted: conv (outH*outW*outC*k*k*inC) and fully connected (in*out) layers. ' +
    'Not counted as MACs: biases, batch norm, activations, residual additions, pooling, shortcuts - reported apart as element counts ' +
    '(norm_elements, activation_elements, add_elements, pool_reads). This is the convention of torchvision\'s "GFLOPS" column.',
  'FLOPs = 2 x MACs.',
  "params: every parameter, batch-norm moving mean/variance included; trainable_params: the learned ones (what torchvision's num_params counts).",
  'weight_bytes: params x 4 (fp32).',
  'activation_bytes at batch B: fp32 bytes of the distinct tensors a training-mode forward pass keeps for backward - the input of every ' +
    'conv/dense layer, the input of every norm, the output of every activation, the input of max pooling and of learnable scalars, and ' +
    'dropout masks; a tensor kept by several ops counts once. Weights, gradients, optimiser state and scratch space are not included.',
  'weighted_layers: conv + fully connected layers, projection shortcuts included (ResNet-50 has 53 conv + 1 FC; its name counts the 50 on the main path).',
];

/** The built-in names, for --help and error messages. */
export const NAME_FORMS = [
  'vgg11 vgg13 vgg16 vgg19 (and _bn: vgg16_bn ...)',
  'resnet18 resnet34 resnet50 resnet101 resnet152',
  'cifar-<block>-<depth> or cifar-<block><depth> (cifar-resnet56 = basic block, cifar-plain20, cifar-bottleneck-164, any registered block)',
  'mlp-<depth>x<width> (plain), mlp-<block>-<depth>x<width>',
  'path/to/experiment.json (its model configs, plugins loaded)',
];
