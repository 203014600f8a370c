// Verdicts on the popular VGG-vs-ResNet claims, computed from the counts.
import { checkClaims, claimAnalyses, type CheckedClaim } from '../../src/costs/claims.js';
import type { ModelAnalysis } from '../../src/costs/analyze.js';

const analyses = claimAnalyses();
const byId = (claims: CheckedClaim[], id: CheckedClaim['id']) => claims.find((c) => c.id === id)!;
const get = (name: string) => analyses.find((a) => a.model === name)!;

describe('claims, checked from the counts', () => {
  const claims = checkClaims(analyses);

  test('"VGG-16\'s FLOPs are dominated by its FC layers": false, and the text cites the shares', () => {
    const c = byId(claims, 'vgg-fc-flops');
    expect(c.verdict).toBe('false');
    expect(c.numbers.fc_mac_share).toBeLessThan(0.01);
    expect(c.numbers.fc_param_share).toBeGreaterThan(0.85);
    expect(c.text).toMatch(
      /^False for FLOPs, true for parameters: .*123\.6M of its 138\.4M parameters \(89\.4%\).*0\.12G of its 15\.47G multiply-adds per image \(0\.8%\)/,
    );
  });

  test('"ResNets need less memory than VGG": weights yes, activations at batch 32 not for the bottleneck nets', () => {
    const c = byId(claims, 'resnet-memory');
    expect(c.verdict).toBe('partly true');
    for (const r of ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152']) {
      expect(c.numbers[`${r}_weight_bytes`]).toBeLessThan(c.numbers.vgg16_weight_bytes);
    }
    expect(c.numbers.resnet18_activation_bytes).toBeLessThan(c.numbers.vgg16_activation_bytes);
    expect(c.numbers.resnet50_activation_bytes).toBeGreaterThan(c.numbers.vgg16_activation_bytes);
    expect(c.text).toContain('resnet50, resnet101, resnet152 keep more than VGG-16');
  });

  test('"ResNet-152 costs fewer FLOPs than VGG-19": true (11.51G vs 19.63G)', () => {
    const c = byId(claims, 'resnet152-vs-vgg19');
    expect(c.verdict).toBe('true');
    expect(c.text).toContain('11.51G');
    expect(c.text).toContain('19.63G');
  });

  test('"the bottleneck cuts FLOPs per layer": true in every stage (ResNet-50 vs ResNet-34)', () => {
    const c = byId(claims, 'bottleneck-per-layer');
    expect(c.verdict).toBe('true');
    // stage 1 by hand: basic 3x3 64->64 on 56x56 = 115.6M per layer; bottleneck (1x1 256->64, 3x3 64->64,
    // 1x1 64->256) in blocks 2-3, and block 1 reading 64 channels: (3*(16384+36864+16384) - 12288) * 3136 / 9
    expect(c.numbers.resnet34_stage1_macs_per_layer).toBe(56 * 56 * 64 * 9 * 64);
    expect(c.numbers.resnet50_stage1_macs_per_layer).toBeCloseTo(
      ((3 * (16384 + 36864 + 16384) - 12288) * 3136) / 9,
      3,
    );
  });

  test('verdicts follow the numbers: doctored counts flip them', () => {
    const doctored: ModelAnalysis[] = analyses.map((a) => {
      if (a.model === 'vgg16') return { ...a, fc_macs: a.macs * 0.6, conv_macs: a.macs * 0.4 };
      if (a.model === 'resnet152')
        return { ...a, macs: get('vgg19').macs * 1.1, activation_bytes: 1, weight_bytes: 1 };
      if (a.model.startsWith('resnet')) return { ...a, activation_bytes: 1, weight_bytes: 1 };
      return a;
    });
    const flipped = checkClaims(doctored);
    expect(byId(flipped, 'vgg-fc-flops').verdict).toBe('true');
    expect(byId(flipped, 'resnet152-vs-vgg19').verdict).toBe('false');
    expect(byId(flipped, 'resnet-memory').verdict).toBe('true');
  });
});
