// Keras application layer names -> gradflow layer names. The rules are generic over depth and
// width, so any VGG (block{S}_conv{C}) or ResNet (conv{K}_block{B}_{i}_conv/_bn) named the way
// keras.applications names them maps onto the matching built-in torchvision-shaped variant.
//
//   VGG16/19           block{S}_conv{C}           -> stage{S}.conv{C}
//                      fc1, fc2, predictions      -> classifier.fc1, classifier.fc2, head.dense
//   ResNet50/101/152   conv1_conv, conv1_bn       -> stem.conv, stem.bn
//                      conv{K}_block{B}_0_conv/bn -> stage{K-1}.block{B}.shortcut.conv/bn (projection)
//                      conv{K}_block{B}_{i}_conv  -> stage{K-1}.block{B}.conv{i}   (i >= 1)
//                      conv{K}_block{B}_{i}_bn    -> stage{K-1}.block{B}.bn{i}
//                      predictions                -> head.dense

/** Keras weight key -> gradflow parameter key. Kernel layouts already agree: conv HWIO, dense [in, out]. */
export const WEIGHT_KEYS: Record<string, string> = {
  kernel: 'kernel',
  bias: 'bias',
  gamma: 'gamma',
  beta: 'beta',
  moving_mean: 'moving_mean',
  moving_variance: 'moving_variance',
};

const HEAD: Record<string, string> = {
  fc1: 'classifier.fc1',
  fc2: 'classifier.fc2',
  predictions: 'head.dense',
};

/** The gradflow layer a Keras layer name stands for, or null when no rule covers it. */
export function gradflowLayerFor(kerasLayer: string): string | null {
  if (HEAD[kerasLayer]) return HEAD[kerasLayer];
  let m = /^block(\d+)_conv(\d+)$/.exec(kerasLayer);
  if (m) return `stage${+m[1]}.conv${+m[2]}`;
  m = /^conv1_(conv|bn)$/.exec(kerasLayer);
  if (m) return `stem.${m[1]}`;
  m = /^conv(\d+)_block(\d+)_(\d+)_(conv|bn)$/.exec(kerasLayer);
  if (m && +m[1] >= 2) {
    const block = `stage${+m[1] - 1}.block${+m[2]}`;
    const i = +m[3];
    return i === 0 ? `${block}.shortcut.${m[4]}` : `${block}.${m[4]}${i}`;
  }
  return null;
}

/** The batch norm right after a gradflow conv (stem.conv -> stem.bn, x.conv2 -> x.bn2), where a conv bias can fold. */
export function normAfter(convLayer: string): string | null {
  const m = /^(.*\.)?conv(\d*)$/.exec(convLayer);
  return m ? `${m[1] ?? ''}bn${m[2]}` : null;
}

/** Split a manifest name `.../layer/weight` into its last two segments (outer model scopes dropped). */
export function splitWeightName(name: string): { layer: string; key: string } | null {
  const parts = name.split('/');
  if (parts.length < 2) return null;
  return { layer: parts[parts.length - 2], key: parts[parts.length - 1] };
}

/** The inverse of gradflowLayerFor, to name the weight a file lacks in its own terms. */
export function kerasLayerFor(gradflowLayer: string): string | null {
  const head = Object.entries(HEAD).find(([, g]) => g === gradflowLayer);
  if (head) return head[0];
  let m = /^stage(\d+)\.conv(\d+)$/.exec(gradflowLayer);
  if (m) return `block${m[1]}_conv${m[2]}`;
  m = /^stem\.(conv|bn)$/.exec(gradflowLayer);
  if (m) return `conv1_${m[1]}`;
  m = /^stage(\d+)\.block(\d+)\.shortcut\.(conv|bn)$/.exec(gradflowLayer);
  if (m) return `conv${+m[1] + 1}_block${m[2]}_0_${m[3]}`;
  m = /^stage(\d+)\.block(\d+)\.(conv|bn)(\d+)$/.exec(gradflowLayer);
  if (m) return `conv${+m[1] + 1}_block${m[2]}_${m[4]}_${m[3]}`;
  return null;
}
