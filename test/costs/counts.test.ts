// The analyzer's counts against published numbers and against hand-derived ones.
import { analyzeTarget, targetGraph } from '../../src/costs/analyze.js';
import { countGraph } from '../../src/costs/count.js';
import { builtinTarget, parseInput } from '../../src/costs/targets.js';
import { PUBLISHED, PUBLISHED_CIFAR } from '../../src/costs/reference/published.js';

const at224 = (name: string, batch = 1) => analyzeTarget(builtinTarget(name, [224, 224, 3]), { batch });

describe('parameter counts', () => {
  // Every torchvision model in the reference table: its docs' num_params (learned parameters only).
  test.each(PUBLISHED.filter((p) => p.torchvision).map((p) => [p.model, p.torchvision!.params] as const))(
    "%s has torchvision's %d trainable parameters",
    (model, expected) => {
      expect(at224(model).trainable_params).toBe(expected);
    },
  );

  test('He et al. CIFAR ResNet-20, option A, 32x32x3: 269,722 trainable; BN moving statistics on top in params', () => {
    const a = analyzeTarget(builtinTarget('cifar-resnet20'));
    expect(a.input).toBe('32x32x3');
    expect(a.trainable_params).toBe(269_722);
    // 19 BN layers over 16*7 + 32*6 + 64*6 = 688 channels, two moving statistics each
    expect(a.params - a.trainable_params).toBe(2 * 688);
    expect(a.weight_bytes).toBe(4 * a.params);
  });

  test.each(PUBLISHED_CIFAR.map((p) => [p.model, p.params, p.exact] as const))(
    "%s matches He et al. Table 6 (%d, to the paper's rounding)",
    (model, params, exact) => {
      const counted = analyzeTarget(builtinTarget(model)).trainable_params;
      if (exact) expect(counted).toBe(params);
      else
        expect(Math.abs(counted - params)).toBeLessThanOrEqual(0.05 * 10 ** Math.floor(Math.log10(params)));
    },
  );

  test('plain and residual CIFAR nets of one depth have the same parameters and MACs (option A adds none)', () => {
    const plain = analyzeTarget(builtinTarget('cifar-plain20'));
    const res = analyzeTarget(builtinTarget('cifar-resnet20'));
    expect(plain.params).toBe(res.params);
    expect(plain.macs).toBe(res.macs);
    expect(plain.add_elements).toBe(0);
    expect(res.add_elements).toBeGreaterThan(0);
  });
});

describe('multiply-accumulates at 224x224x3 (torchvision convention: conv + FC only)', () => {
  // The published figures (torchvision's GFLOPS column; He et al. for VGG-19 and ResNet-34).
  const published: [string, number][] = [
    ['vgg16', 15.5e9],
    ['vgg19', 19.6e9],
    ['resnet18', 1.82e9],
    ['resnet34', 3.6e9],
    ['resnet50', 4.1e9],
    ['resnet152', 11.5e9],
  ];
  test.each(published)('%s within 2%% of %d', (model, macs) => {
    const a = at224(model);
    expect(Math.abs(a.macs - macs) / macs).toBeLessThan(0.02);
    expect(a.flops).toBe(2 * a.macs);
  });

  test('every torchvision GFLOPS figure to its two decimals', () => {
    for (const p of PUBLISHED.filter((q) => q.torchvision)) {
      expect([p.model, Math.round(at224(p.model).macs / 1e7) / 100]).toEqual([p.model, p.torchvision!.gmacs]);
    }
  });

  test('hand count: ResNet-20 on 32x32x3 is 40.55M MACs', () => {
    // stem 32*32*16*27; stage1 6 convs 32*32*16*144; stage2 first conv 16*16*32*144, 5 more 16*16*32*288;
    // stage3 first 8*8*64*288, 5 more 8*8*64*576; FC 64*10.
    const expected =
      32 * 32 * 16 * 27 +
      6 * 32 * 32 * 16 * 144 +
      16 * 16 * 32 * (144 + 5 * 288) +
      8 * 8 * 64 * (288 + 5 * 576) +
      640;
    expect(analyzeTarget(builtinTarget('cifar-resnet20')).macs).toBe(expected);
  });
});

describe('where VGG-16 keeps its parameters and spends its MACs', () => {
  test('FC layers: > 85% of parameters, < 2% of MACs', () => {
    const a = at224('vgg16');
    expect(a.fc_layers).toBe(3);
    expect(a.conv_layers).toBe(13);
    expect(a.fc_params / a.params).toBeGreaterThan(0.85);
    expect(a.fc_macs / a.macs).toBeLessThan(0.02);
    expect(a.conv_params + a.fc_params).toBe(a.params);
    expect(a.conv_macs + a.fc_macs).toBe(a.macs);
  });
});

describe('activation memory kept for backward', () => {
  test('hand count for a plain MLP (784 -> 256 x3 -> 10, BN): input + 3 x (BN input + ReLU output)', () => {
    // The first dense keeps the input (784); each hidden layer keeps its BN input and its ReLU output
    // (256 each); the next dense reads that ReLU output, the same tensor, counted once.
    const a = analyzeTarget(builtinTarget('mlp-4x256'), { batch: 32 });
    expect(a.activation_bytes).toBe(4 * 32 * (784 + 3 * 2 * 256));
  });

  test('linear in the batch; independent of the traced batch', () => {
    const target = builtinTarget('cifar-resnet20');
    const one = countGraph(targetGraph(target, 1), 128);
    const traced = countGraph(targetGraph(target, 128));
    expect(traced.activation_bytes).toBe(one.activation_bytes);
    expect(traced.macs).toBe(one.macs);
    expect(analyzeTarget(target, { batch: 64 }).activation_bytes * 2).toBe(one.activation_bytes);
  });

  test('VGG-16 (no BN) keeps one tensor per conv: its input; vgg16_bn also keeps each BN input', () => {
    const plain = at224('vgg16', 1);
    const bn = at224('vgg16_bn', 1);
    expect(bn.activation_bytes).toBeGreaterThan(plain.activation_bytes);
    // the extra tensors are exactly the 13 conv outputs that BN normalises
    expect((bn.activation_bytes - plain.activation_bytes) / 4).toBe(bn.norm_elements);
  });
});

describe('per-layer rows', () => {
  test('ResNet-50: names, depth indices, types, output shapes; rows add up to the totals', () => {
    const a = analyzeTarget(builtinTarget('resnet50'), { perLayer: true });
    const rows = a.layers!;
    const stem = rows.find((r) => r.name === 'stem.conv')!;
    expect(stem).toMatchObject({
      depth_index: 1,
      type: 'conv7x7/s2',
      output_shape: [112, 112, 64],
      params: 7 * 7 * 3 * 64,
    });
    expect(stem.macs).toBe(112 * 112 * 64 * 7 * 7 * 3);
    expect(rows.find((r) => r.name === 'stage4.block3.conv3')!.output_shape).toEqual([7, 7, 2048]);
    expect(rows.find((r) => r.name === 'head.dense')).toMatchObject({
      type: 'dense',
      output_shape: [1000],
      params: 2048 * 1000 + 1000,
    });
    expect(rows.reduce((s, r) => s + r.macs, 0)).toBe(a.macs);
    expect(rows.reduce((s, r) => s + r.params, 0)).toBe(a.params);
    const depths = rows.filter((r) => !r.name.includes('.shortcut.')).map((r) => r.depth_index);
    expect(depths).toEqual([...depths].sort((x, y) => x - y));
    // The main path is the name's 50 layers; the four projection shortcuts sit beside it, sharing the
    // depth index of the layer before them, and count among the weighted layers (54).
    expect(Math.max(...depths)).toBe(50);
    expect(a.weighted_layers).toBe(54);
    const projection = rows.find((r) => r.name === 'stage2.block1.shortcut.conv')!;
    const before = rows.filter((r) => r.name.startsWith('stage1.') && r.type.startsWith('conv')).at(-1)!;
    expect(projection.depth_index).toBe(before.depth_index);
  });
});

describe('model names and inputs', () => {
  test('name forms resolve to configs', () => {
    expect(builtinTarget('cifar-resnet56').cfg).toMatchObject({ family: 'cifar', block: 'basic', depth: 56 });
    expect(builtinTarget('cifar-plain-bottleneck-56').cfg).toMatchObject({
      block: 'plain-bottleneck',
      depth: 56,
    });
    expect(builtinTarget('mlp-8x128')).toMatchObject({
      inputShape: [784],
      cfg: { family: 'mlp', block: 'plain', depth: 8, width: 128 },
    });
    expect(builtinTarget('resnet18', [64, 64, 3]).inputShape).toEqual([64, 64, 3]);
  });

  test('bad names and inputs say what is accepted', () => {
    expect(() => builtinTarget('resnet20')).toThrow(/unknown model "resnet20".*\n.*vgg11/s);
    expect(() => parseInput('224x224x0')).toThrow(/--input "224x224x0": expected HxWxC/);
    expect(() => parseInput('big')).toThrow(/expected HxWxC/);
    expect(parseInput('28X28x1')).toEqual([28, 28, 1]);
    expect(() => analyzeTarget(builtinTarget('cifar-resnet21'))).toThrow(/depth 21 is impossible/);
  });
});
