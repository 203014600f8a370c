// Per-channel standardisation with the training split's statistics (the last axis is the
// channel: image channels, or each feature of a vector).

export interface ChannelStats {
  mean: number[];
  std: number[];
}

export function channelStats(x: Float32Array, channels: number): ChannelStats {
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    sum[c] += x[i];
  }
  const count = x.length / channels;
  const mean = Array.from(sum, (s) => s / count);
  // Two passes: sum of squared deviations is exact enough where E[x^2] - E[x]^2 cancels badly.
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - mean[i % channels];
    sumSq[i % channels] += d * d;
  }
  // A constant channel (e.g. a blank border feature) keeps std 1 rather than dividing by zero.
  const std = Array.from(sumSq, (s) => {
    const sd = Math.sqrt(s / count);
    return sd > 1e-8 ? sd : 1;
  });
  return { mean, std };
}

/** In place. */
export function normalizeInPlace(x: Float32Array, stats: ChannelStats): void {
  const channels = stats.mean.length;
  const scale = stats.std.map((s) => 1 / s);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    x[i] = (x[i] - stats.mean[c]) * scale[c];
  }
}
