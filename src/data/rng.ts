// Seeded randomness for data: alea from seedrandom, whose arithmetic is plain IEEE doubles, so
// the same seed gives the same stream on every machine. Never Math.random.
import seedrandom from 'seedrandom';

/** Alea's internal state; plain numbers, so it survives JSON (checkpoints). */
export type RngState = seedrandom.State.Alea;
export type Rng = seedrandom.StatefulPRNG<RngState>;

/** A stream for one purpose of one seed: purposes never share numbers. */
export function makeRng(seed: number, purpose: string): Rng {
  return seedrandom.alea(`${seed}:${purpose}`, { state: true });
}

export function rngState(rng: Rng): RngState {
  return rng.state();
}

export function restoreRng(state: RngState): Rng {
  return seedrandom.alea('', { state: { ...state } });
}

/** Integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Uniform in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** Approximately standard normal (Irwin-Hall of 4 uniforms): only +,-,*, so bit-identical everywhere. */
export function gauss(rng: Rng): number {
  return (rng() + rng() + rng() + rng() - 2) * 1.7320508075688772;
}

/** Fisher-Yates permutation of 0..n-1. */
export function permutation(rng: Rng, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
