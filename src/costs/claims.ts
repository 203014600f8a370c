// Claims popular VGG-vs-ResNet write-ups make, each given a verdict computed from the analyzer's
// counts (never typed in) and the numbers it rests on. All at 224x224x3, activations at batch 32.
import { analyzeTarget, type ModelAnalysis } from './analyze.js';
import { builtinTarget, IMAGENET_INPUT } from './targets.js';
import type { LayerRow } from './count.js';

export type ClaimVerdict = 'true' | 'false' | 'partly true';

export interface CheckedClaim {
  id: 'vgg-fc-flops' | 'resnet-memory' | 'resnet152-vs-vgg19' | 'bottleneck-per-layer';
  claim: string;
  verdict: ClaimVerdict;
  /** The computed explanation, numbers included. */
  text: string;
  /** The numbers the verdict rests on, by name. */
  numbers: Record<string, number>;
}

/** Models the claims need (the comparison page traces them even when not asked for). */
export const CLAIM_MODELS = [
  'vgg16',
  'vgg19',
  'resnet18',
  'resnet34',
  'resnet50',
  'resnet101',
  'resnet152',
] as const;
export const CLAIM_BATCH = 32;

const G = (x: number) => `${(x / 1e9).toFixed(2)}G`;
const M = (x: number) => `${(x / 1e6).toFixed(1)}M`;
const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function vggFcFlops(vgg16: ModelAnalysis): CheckedClaim {
  const fcMacShare = vgg16.fc_macs / vgg16.macs;
  const fcParamShare = vgg16.fc_params / vgg16.params;
  const flopsDominated = fcMacShare > 0.5;
  return {
    id: 'vgg-fc-flops',
    claim: "VGG-16's FLOPs are dominated by its fully connected layers",
    verdict: flopsDominated ? 'true' : 'false',
    text:
      `${flopsDominated ? 'True' : 'False'} for FLOPs, ${fcParamShare > 0.5 ? 'true' : 'false'} for parameters: VGG-16's ${vgg16.fc_layers} fully connected layers ` +
      `hold ${M(vgg16.fc_params)} of its ${M(vgg16.params)} parameters (${pct(fcParamShare)}) but do ${G(vgg16.fc_macs)} of its ` +
      `${G(vgg16.macs)} multiply-adds per image (${pct(fcMacShare)}); its ${vgg16.conv_layers} conv layers do ${pct(vgg16.conv_macs / vgg16.macs)}.`,
    numbers: {
      fc_params: vgg16.fc_params,
      params: vgg16.params,
      fc_macs: vgg16.fc_macs,
      macs: vgg16.macs,
      fc_param_share: fcParamShare,
      fc_mac_share: fcMacShare,
    },
  };
}

function resnetMemory(vgg16: ModelAnalysis, resnets: ModelAnalysis[]): CheckedClaim {
  const lighterWeights = resnets.filter((r) => r.weight_bytes < vgg16.weight_bytes);
  const moreActivations = resnets.filter((r) => r.activation_bytes > vgg16.activation_bytes);
  const weightsTrue = lighterWeights.length === resnets.length;
  const activationsTrue = moreActivations.length === 0;
  const verdict: ClaimVerdict =
    weightsTrue && activationsTrue
      ? 'true'
      : !weightsTrue && moreActivations.length === resnets.length
        ? 'false'
        : 'partly true';
  const perGmac = (a: ModelAnalysis) => a.activation_bytes / (a.macs / 1e9);
  const weights = resnets
    .map(
      (r) => `${r.model} ${MB(r.weight_bytes)} (${(vgg16.weight_bytes / r.weight_bytes).toFixed(1)}x less)`,
    )
    .join(', ');
  const acts = resnets
    .map(
      (r) =>
        `${r.model} ${MB(r.activation_bytes)} (${(r.activation_bytes / vgg16.activation_bytes).toFixed(2)}x)`,
    )
    .join(', ');
  const numbers: Record<string, number> = {
    vgg16_weight_bytes: vgg16.weight_bytes,
    vgg16_activation_bytes: vgg16.activation_bytes,
  };
  for (const r of resnets) {
    numbers[`${r.model}_weight_bytes`] = r.weight_bytes;
    numbers[`${r.model}_activation_bytes`] = r.activation_bytes;
  }
  const worst = [...resnets].sort((a, b) => perGmac(b) - perGmac(a))[0];
  return {
    id: 'resnet-memory',
    claim: 'ResNets need less memory than VGG',
    verdict,
    text:
      `Weights: ${weightsTrue ? 'true' : 'not for all'} - VGG-16 stores ${MB(vgg16.weight_bytes)} of fp32 weights; ${weights}. ` +
      `Activations kept for backward at batch ${vgg16.batch}: VGG-16 ${MB(vgg16.activation_bytes)}; ${acts}` +
      (moreActivations.length
        ? ` - ${moreActivations.map((r) => r.model).join(', ')} keep${moreActivations.length === 1 ? 's' : ''} more than VGG-16. `
        : ' - every ResNet keeps less. ') +
      `Relative to compute, ${worst.model} keeps ${MB(perGmac(worst))} per G multiply-add against VGG-16's ${MB(perGmac(vgg16))}.`,
    numbers,
  };
}

function resnet152VsVgg19(r152: ModelAnalysis, vgg19: ModelAnalysis): CheckedClaim {
  const fewer = r152.macs < vgg19.macs;
  return {
    id: 'resnet152-vs-vgg19',
    claim: 'ResNet-152 costs fewer FLOPs than VGG-19',
    verdict: fewer ? 'true' : 'false',
    text:
      `${fewer ? 'True' : 'False'}: ResNet-152 does ${G(r152.macs)} multiply-adds per image against VGG-19's ${G(vgg19.macs)} ` +
      `(${(r152.macs / vgg19.macs).toFixed(2)}x), with ${r152.weighted_layers} weighted layers against ${vgg19.weighted_layers}.`,
    numbers: { resnet152_macs: r152.macs, vgg19_macs: vgg19.macs, ratio: r152.macs / vgg19.macs },
  };
}

/** Conv layers of the residual branches (main path), by stage: the block's own layers, not its projection shortcut. */
function mainPathMacsPerLayer(layers: LayerRow[]): Map<string, { layers: number; macs: number }> {
  const byStage = new Map<string, { layers: number; macs: number }>();
  for (const row of layers) {
    const m = /^(stage\d+)\.block\d+\.(?!shortcut\.)[^.]+$/.exec(row.name);
    if (!m || !row.type.startsWith('conv')) continue;
    const s = byStage.get(m[1]) ?? { layers: 0, macs: 0 };
    s.layers++;
    s.macs += row.macs;
    byStage.set(m[1], s);
  }
  return byStage;
}

function bottleneckPerLayer(basic: ModelAnalysis, bottleneck: ModelAnalysis): CheckedClaim {
  if (!basic.layers || !bottleneck.layers) throw new Error('bottleneck claim needs per-layer rows');
  const a = mainPathMacsPerLayer(basic.layers);
  const b = mainPathMacsPerLayer(bottleneck.layers);
  const stages = [...a.keys()].filter((s) => b.has(s));
  const numbers: Record<string, number> = {};
  const parts: string[] = [];
  let cuts = 0;
  for (const s of stages) {
    const perA = a.get(s)!.macs / a.get(s)!.layers;
    const perB = b.get(s)!.macs / b.get(s)!.layers;
    numbers[`${basic.model}_${s}_macs_per_layer`] = perA;
    numbers[`${bottleneck.model}_${s}_macs_per_layer`] = perB;
    if (perB < perA) cuts++;
    parts.push(`${s} ${M(perB)} vs ${M(perA)}`);
  }
  const netA = basic.macs / basic.weighted_layers;
  const netB = bottleneck.macs / bottleneck.weighted_layers;
  numbers[`${basic.model}_macs_per_weighted_layer`] = netA;
  numbers[`${bottleneck.model}_macs_per_weighted_layer`] = netB;
  const verdict: ClaimVerdict =
    cuts === stages.length && stages.length > 0 ? 'true' : cuts === 0 ? 'false' : 'partly true';
  return {
    id: 'bottleneck-per-layer',
    claim: 'The bottleneck block cuts FLOPs per layer',
    verdict,
    text:
      `${verdict === 'true' ? 'True' : verdict === 'false' ? 'False' : 'Partly true'}: multiply-adds per residual-branch conv layer, ${bottleneck.model} (bottleneck) vs ` +
      `${basic.model} (basic), same stages and widths: ${parts.join('; ')}. Over the whole network ${M(netB)} vs ${M(netA)} per weighted layer, ` +
      `so ${bottleneck.model} is ${(bottleneck.weighted_layers / basic.weighted_layers).toFixed(1)}x deeper for ${(bottleneck.macs / basic.macs).toFixed(2)}x the multiply-adds.`,
    numbers,
  };
}

/** Every claim's verdict. `analyses` must hold CLAIM_MODELS at 224x224x3 with per-layer rows. */
export function checkClaims(analyses: ModelAnalysis[]): CheckedClaim[] {
  const get = (name: string) => {
    const a = analyses.find((x) => x.model === name);
    if (!a) throw new Error(`checkClaims: no analysis of ${name}`);
    return a;
  };
  const resnets = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'].map(get);
  return [
    vggFcFlops(get('vgg16')),
    resnetMemory(get('vgg16'), resnets),
    resnet152VsVgg19(get('resnet152'), get('vgg19')),
    bottleneckPerLayer(get('resnet34'), get('resnet50')),
  ];
}

/** The analyses checkClaims needs, traced now (shape mode: milliseconds, no memory). */
export function claimAnalyses(): ModelAnalysis[] {
  return CLAIM_MODELS.map((m) =>
    analyzeTarget(builtinTarget(m, IMAGENET_INPUT), { batch: CLAIM_BATCH, perLayer: true }),
  );
}
