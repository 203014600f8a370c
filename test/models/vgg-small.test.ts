// The narrow VGG used as a transfer backbone: `blockOptions.width` scales every stage and the
// classifier, the classifier is a stage of its own (so a transfer replaces only the last dense),
// and a frozen stage's dropout is off in training so a frozen body is a fixed feature extractor.
import * as tf from '@tensorflow/tfjs';
import { buildModel, traceModel } from '../../src/models/index.js';
import { VGG_STAGES } from '../../src/models/vgg.js';
import { cfg, trainableCount } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('VGG at a fraction of its width', () => {
  it('has the trainable parameters of VGG-11-BN with every width scaled by 8/64', () => {
    const classes = 5;
    let expected = 0;
    let cin = 1;
    for (const layer of VGG_STAGES.vgg11) {
      if (layer === 'M') continue;
      const cout = layer / 8;
      expected += 9 * cin * cout + cout + 2 * cout; // kernel, bias, BN gamma and beta
      cin = cout;
    }
    const fc = 4096 / 8;
    expected += cin * fc + fc + fc * fc + fc + fc * classes + classes; // 32x32 input pools to 1x1
    const trace = traceModel(
      cfg({ family: 'vgg', variant: 'vgg11_bn', blockOptions: { width: 8 } }),
      [32, 32, 1],
      classes,
    );
    expect(trainableCount(trace)).toBe(expected);
    const stages = [...new Set(trace.params.map((p) => p.name.split('.')[0]))];
    expect(stages).toEqual(['stage1', 'stage2', 'stage3', 'stage4', 'stage5', 'classifier', 'head']);
    expect(trace.params.filter((p) => p.name.startsWith('head.')).map((p) => p.name)).toEqual([
      'head.dense.kernel',
      'head.dense.bias',
    ]);
  });

  it('turns dropout off in frozen stages only', () => {
    const model = buildModel(
      cfg({ family: 'vgg', variant: 'vgg11', blockOptions: { width: 4, dropout: 0.5 } }),
      [32, 32, 1],
      5,
      0,
    );
    const x = tf.randomNormal([4, 32, 32, 1], 0, 1, 'float32', 3);
    const logits = (frozenStages?: Set<string>) =>
      tf.tidy(() => Array.from(model.forward(x, { training: true, frozenStages }).logits.dataSync()));
    const frozen = new Set(['stage1', 'stage2', 'stage3', 'stage4', 'stage5', 'classifier']);
    const inference = tf.tidy(() => Array.from(model.forward(x, { training: false }).logits.dataSync()));
    expect(logits(frozen)).toEqual(inference);
    expect(logits(frozen)).toEqual(logits(frozen));
    expect(logits()).not.toEqual(inference);
    // Seeded masks repeat exactly; another seed draws others.
    const seeded = (seed: number) =>
      tf.tidy(() => Array.from(model.forward(x, { training: true, dropoutSeed: seed }).logits.dataSync()));
    expect(seeded(7)).toEqual(seeded(7));
    expect(seeded(7)).not.toEqual(seeded(8));
    x.dispose();
    model.dispose();
  });
});
