// The one definition of a run's configuration. Experiment files, `gradflow train` flags and
// checkpoints all resolve to a RunConfig; the JSON Schema shipped under schema/ is generated from it.
import { z } from 'zod';

export const DataConfig = z
  .strictObject({
    // A registered dataset (data/builtin-datasets.ts, or a plugin's): synthetic (generated
    // 10-class images), synthetic-vectors (the MLP task), mnist / fashion-mnist (IDX files under
    // `path`), cifar10 (CIFAR-10 binary batches under `path`).
    name: z
      .string()
      .default('synthetic')
      .describe(
        "registered dataset: synthetic, synthetic-vectors, mnist, fashion-mnist, cifar10, or a plugin's",
      ),
    path: z.string().optional().describe('directory holding the dataset files (IDX or CIFAR-10 binary)'),
    size: z.number().int().min(4).max(256).default(28).describe('synthetic images: height = width'),
    channels: z.number().int().min(1).max(3).default(1).describe('synthetic images: 1 or 3'),
    features: z.number().int().min(2).default(64).describe('synthetic-vectors: input dimension'),
    trainSize: z.number().int().positive().optional().describe('cap (synthetic: count) of training examples'),
    testSize: z.number().int().positive().optional().describe('cap (synthetic: count) of test examples'),
    validation: z
      .number()
      .min(0)
      .max(0.5)
      .default(0)
      .describe('fraction of train held out; evaluated instead of test'),
    normalize: z.boolean().default(true).describe('per-channel mean/std from the training split'),
    augment: z.boolean().default(false).describe('pad 4 + random crop + horizontal flip (He et al. 2015)'),
    classes: z
      .array(z.number().int().min(0))
      .optional()
      .describe('keep only these labels, relabelled 0..k-1'),
    labelsPerClass: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('label budget per class: a subset drawn from data.seed and the run seed'),
    // Separate from the run seed so that seeds of a sweep differ in initialisation and batch order
    // on the same examples; sweep data.seed to vary the data (or the label-budget draw) as well.
    seed: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('seed of synthetic examples, subsets and label budgets'),
  })
  .describe('Where the examples come from');

export const ModelConfig = z
  .strictObject({
    family: z
      .string()
      .default('cifar')
      .describe("registered model family: cifar, mlp, vgg, resnet, or a plugin's"),
    depth: z
      .number()
      .int()
      .positive()
      .default(20)
      .describe('weighted layers (cifar: 6n+2, 9n+2 for bottlenecks)'),
    block: z.string().default('basic').describe('registered block name (gradflow blocks lists them)'),
    blockOptions: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("options passed to the block's build"),
    width: z.number().int().positive().default(16).describe('cifar: first stage filters; mlp: hidden units'),
    norm: z.enum(['batch', 'layer', 'none']).default('batch'),
    activation: z.enum(['relu', 'tanh', 'sigmoid']).default('relu'),
    init: z.enum(['he', 'glorot', 'lecun']).default('he'),
    shortcut: z.enum(['A', 'B', 'C']).default('A').describe('residual shortcut option of He et al. 2015'),
    padding: z
      .enum(['symmetric', 'same'])
      .default('symmetric')
      .describe(
        "how convolutions and pools pad by default: 'symmetric' floor(k/2) on every side, as He et al.'s Torch and PyTorch do; " +
          "'same' TF's rule (at stride 2 on an even size: 0 before, 1 after), what gradflow used before 2026-12",
      ),
    variant: z.string().optional().describe('vgg/resnet: vgg11..vgg19, vgg16_bn, resnet18..resnet152'),
  })
  .describe('Which network');

const StepSchedule = z.strictObject({
  type: z.literal('step'),
  milestones: z.array(z.number().gt(0).lt(1)).default([0.5, 0.75]).describe('fractions of total steps'),
  gamma: z.number().positive().default(0.1),
});
const CosineSchedule = z.strictObject({ type: z.literal('cosine'), minLr: z.number().min(0).default(0) });
const ConstantSchedule = z.strictObject({ type: z.literal('constant') });

export const TrainConfig = z
  .strictObject({
    optimizer: z.enum(['sgd', 'adam']).default('sgd'),
    lr: z.number().positive().default(0.1),
    momentum: z.number().min(0).max(1).default(0.9),
    weightDecay: z.number().min(0).default(1e-4),
    batchSize: z.number().int().positive().default(128),
    epochs: z.number().positive().optional().describe('train for this many epochs (fractional allowed)'),
    steps: z.number().int().positive().optional().describe('train for this many steps (overrides epochs)'),
    schedule: z
      .discriminatedUnion('type', [StepSchedule, CosineSchedule, ConstantSchedule])
      .default({ type: 'step', milestones: [0.5, 0.75], gamma: 0.1 }),
    warmup: z
      .union([
        z.strictObject({ type: z.literal('linear'), steps: z.number().int().positive() }),
        // He et al. 2015 (ResNet-110): lr 0.01 until training error < 80%, then the base lr.
        z.strictObject({
          type: z.literal('until-error'),
          lr: z.number().positive().default(0.01),
          belowError: z.number().gt(0).lt(1).default(0.8),
        }),
      ])
      .optional(),
    evalEvery: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('steps between test evaluations (default: each epoch)'),
    checkpointMinutes: z.number().positive().default(10),
    finalTrainExamples: z
      .union([z.number().int().positive(), z.literal('all')])
      .default(2048)
      .describe(
        "training examples the final training error is measured on, in inference mode: the first N, or 'all' (2048 resolves 0.05 points)",
      ),
  })
  .describe('The recipe');

export const ProbeConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    every: z.number().int().positive().default(50).describe('steps between probes (step 0 is always probed)'),
    stats: z.array(z.string()).optional().describe('registered probe names; default all'),
  })
  .describe('Per-layer statistics');

export const TransferConfig = z
  .strictObject({
    from: z
      .string()
      .optional()
      .describe(
        'source run: a completed run directory (results/pretrain/cifar-basic-d20-s0), or @<run id> for a run of the same experiment; in an experiment with a pretrain section, omit it to use that run',
      ),
    mode: z
      .enum(['linear', 'finetune', 'finetune-last', 'scratch'])
      .default('finetune')
      .describe(
        'scratch: no source, every parameter trains from its random init (the baseline a transfer is measured against)',
      ),
    stages: z
      .number()
      .int()
      .positive()
      .default(1)
      .describe('finetune-last: how many of the last stages to train'),
    lrScale: z
      .record(z.string(), z.number().min(0))
      .optional()
      .describe(
        'per-stage learning-rate multipliers, e.g. {"stage1": 0.1, "head": 10}; "*" for every stage not named',
      ),
  })
  .describe('Start from a pretrained run: which parameters train and which stay frozen');

export const RunConfig = z.strictObject({
  data: DataConfig.default(DataConfig.parse({})),
  model: ModelConfig.default(ModelConfig.parse({})),
  train: TrainConfig.default(TrainConfig.parse({})),
  probe: ProbeConfig.default(ProbeConfig.parse({})),
  seed: z.number().int().min(0).default(0),
  transfer: TransferConfig.optional(),
});

export type DataConfig = z.infer<typeof DataConfig>;
export type ModelConfig = z.infer<typeof ModelConfig>;
export type TrainConfig = z.infer<typeof TrainConfig>;
export type ProbeConfig = z.infer<typeof ProbeConfig>;
export type TransferConfig = z.infer<typeof TransferConfig>;
export type RunConfig = z.infer<typeof RunConfig>;
