// The synthetic image task: a seeded, procedural 10-class problem that needs no download.
//
// Design. A fixed pool of primitive "kinds" (oriented strokes, oriented gratings, rings and
// blobs of given sizes) is shared by all classes. Classes come in sibling pairs: both siblings
// use the same three kinds at the same three cells of a 3x3 layout, but in a different
// assignment (kinds rotated one place). So no class is recognisable from which primitives appear
// or from mean intensity; a net must see *where* each primitive sits relative to the others.
// Every example then gets a random translation, scale, rotation, contrast and background, its
// parts a little orientation and position jitter, three distractor primitives drawn from the same
// pool, a random polarity (bright on dark or dark on bright) and pixel noise. Colour images give
// each kind a colour, with jitter.
//
// Transfer: classes [0..4] vs [5..9] form a source/target pair that shares the
// primitive pool (low-level structure) but not the labels; only the sibling pair (4, 5)
// straddles the split, which is fine: its arrangement differs.
//
// Determinism: the task (kind pool, class templates) comes from a fixed task seed and examples
// from the run seed, through alea; rendering uses only +, -, *, /, sqrt, abs, floor and comparisons
// (angles via the rational parametrisation of the circle), which IEEE 754 rounds identically on
// every machine. No Math.sin / exp, whose last bits may differ between platforms.
import { type Rng, makeRng, uniform, gauss, randInt, permutation } from './rng.js';
import type { Split } from './types.js';

export const SYNTHETIC_CLASSES = 10;
/** Seeds the task definition, so "class 3" means the same thing whatever the run seed. */
export const SYNTHETIC_TASK_SEED = 20151210;

type KindType = 'stroke' | 'grating' | 'ring' | 'blob';

interface Kind {
  type: KindType;
  cos: number; // orientation (strokes, gratings)
  sin: number;
  length: number; // stroke half-length, grating/ring/blob radius (image units: the image is 2 wide)
  width: number; // stroke/ring half-width, grating period
  color: [number, number, number];
}

interface ClassTemplate {
  kinds: number[]; // index into the pool, one per part
  cells: [number, number][]; // part centres in image units
}

export interface SyntheticTask {
  pool: Kind[];
  classes: ClassTemplate[];
}

const POOL_SIZE = 8;
const PARTS = 3;
const DISTRACTORS = 3;
const CELL = 0.42; // spacing of the 3x3 layout, in image units ([-1, 1] across)

/** cos and sin of the angle 2*atan(t), exactly rounded arithmetic only. */
function rotation(t: number): [number, number] {
  const d = 1 + t * t;
  return [(1 - t * t) / d, (2 * t) / d];
}

function makeKind(rng: Rng, type: KindType): Kind {
  // t in [-1, 1] covers half a turn, all that a line or grating needs.
  const [cos, sin] = rotation(uniform(rng, -1, 1));
  const hue = randInt(rng, 6);
  const color: [number, number, number] = [0.35, 0.35, 0.35];
  color[hue % 3] = 1;
  if (hue >= 3) color[(hue + 1) % 3] = 0.8;
  switch (type) {
    case 'stroke':
      return { type, cos, sin, length: uniform(rng, 0.22, 0.34), width: uniform(rng, 0.07, 0.1), color };
    case 'grating':
      return { type, cos, sin, length: uniform(rng, 0.2, 0.26), width: uniform(rng, 0.16, 0.22), color };
    case 'ring':
      return { type, cos, sin, length: uniform(rng, 0.13, 0.2), width: uniform(rng, 0.05, 0.07), color };
    case 'blob':
      return { type, cos, sin, length: uniform(rng, 0.12, 0.2), width: 0, color };
  }
}

export function makeSyntheticTask(
  numClasses = SYNTHETIC_CLASSES,
  taskSeed = SYNTHETIC_TASK_SEED,
): SyntheticTask {
  const rng = makeRng(taskSeed, 'synthetic-task');
  const types: KindType[] = ['stroke', 'stroke', 'stroke', 'grating', 'grating', 'ring', 'blob', 'ring'];
  const pool = types.slice(0, POOL_SIZE).map((t) => makeKind(rng, t));
  const classes: ClassTemplate[] = [];
  for (let c = 0; c < numClasses; c += 2) {
    const kinds = Array.from(permutation(rng, POOL_SIZE).subarray(0, PARTS));
    const cells = Array.from(permutation(rng, 9).subarray(0, PARTS)).map((k): [number, number] => [
      ((k % 3) - 1) * CELL,
      (Math.floor(k / 3) - 1) * CELL,
    ]);
    classes.push({ kinds, cells });
    // The sibling: same kinds, same cells, kinds rotated one place.
    classes.push({ kinds: kinds.map((_, i) => kinds[(i + 1) % PARTS]), cells });
  }
  return { pool, classes: classes.slice(0, numClasses) };
}

function smooth(x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return x * x * (3 - 2 * x);
}

/** Intensity in [-1, 1] of a primitive at local coordinates (a along, b across its orientation). */
function shapeAt(kind: Kind, a: number, b: number, scale: number): number {
  const len = kind.length * scale;
  const wid = kind.width * scale;
  switch (kind.type) {
    case 'stroke': {
      const across = 1 - (b * b) / (wid * wid);
      return across <= 0 ? 0 : across * smooth((len - Math.abs(a)) / wid + 0.5);
    }
    case 'grating': {
      const r2 = (a * a + b * b) / (len * len);
      if (r2 >= 1) return 0;
      const phase = a / wid;
      const tri = 1 - 4 * Math.abs(phase - Math.floor(phase) - 0.5); // triangle wave in [-1, 1]
      return (1 - r2) * (1 - r2) * tri;
    }
    case 'ring': {
      const d = (Math.sqrt(a * a + b * b) - len) / wid;
      return d * d >= 1 ? 0 : 1 - d * d;
    }
    case 'blob': {
      const r2 = (a * a + b * b) / (len * len);
      return r2 >= 1 ? 0 : (1 - r2) * (1 - r2);
    }
  }
}

/** Adds one primitive into the image (float64 accumulator, NHWC), touching only its bounding box. */
function drawPart(
  img: Float64Array,
  size: number,
  channels: number,
  kind: Kind,
  cx: number,
  cy: number,
  cos: number,
  sin: number,
  scale: number,
  amp: number[],
): void {
  const reach = (kind.length + kind.width + 0.05) * scale * 1.5;
  const px = 2 / size; // one pixel in image units
  const toPix = (u: number) => (u + 1) / px - 0.5;
  const c0 = Math.max(0, Math.floor(toPix(cx - reach)));
  const c1 = Math.min(size - 1, Math.ceil(toPix(cx + reach)));
  const r0 = Math.max(0, Math.floor(toPix(cy - reach)));
  const r1 = Math.min(size - 1, Math.ceil(toPix(cy + reach)));
  for (let r = r0; r <= r1; r++) {
    const dy = (r + 0.5) * px - 1 - cy;
    for (let c = c0; c <= c1; c++) {
      const dx = (c + 0.5) * px - 1 - cx;
      const v = shapeAt(kind, dx * cos + dy * sin, dy * cos - dx * sin, scale);
      if (v === 0) continue;
      const o = (r * size + c) * channels;
      for (let ch = 0; ch < channels; ch++) img[o + ch] += v * amp[ch];
    }
  }
}

export interface SyntheticImageOptions {
  count: number;
  size: number;
  channels: number;
  /** Original labels to draw from, equally often (a class filter generates only what it keeps). */
  classes: number[];
  seed: number;
  purpose: string; // 'train' | 'test': independent streams of the same seed
  task?: SyntheticTask;
}

export function generateSyntheticImages(opts: SyntheticImageOptions): Split {
  const { count, size, channels, classes, seed } = opts;
  const task = opts.task ?? makeSyntheticTask(Math.max(SYNTHETIC_CLASSES, ...classes.map((c) => c + 1)));
  const rng = makeRng(seed, `synthetic-images-${opts.purpose}`);
  const pix = size * size * channels;
  const x = new Float32Array(count * pix);
  const y = new Int32Array(count);
  // Balanced labels in a seeded order.
  const order = permutation(rng, count);
  for (let i = 0; i < count; i++) y[order[i]] = classes[i % classes.length];

  const img = new Float64Array(pix);
  const amp = [0, 0, 0];
  const colorOf = (kind: Kind, gain: number) => {
    for (let ch = 0; ch < channels; ch++) {
      amp[ch] = gain * (channels === 1 ? 1 : kind.color[ch] * uniform(rng, 0.8, 1.2));
    }
    return amp;
  };
  for (let i = 0; i < count; i++) {
    const template = task.classes[y[i]];
    // Polarity: bright parts on a dark ground or dark parts on a bright one, so that neither the
    // sign of an edge nor the mean intensity says anything about the class.
    const dark = rng() < 0.5;
    const background = dark ? uniform(rng, 0.05, 0.45) : uniform(rng, 0.55, 0.95);
    for (let p = 0; p < pix; p += channels) {
      for (let ch = 0; ch < channels; ch++) img[p + ch] = background;
    }
    // Whole-object pose: scale, rotation up to about +-25 degrees, translation.
    const scale = uniform(rng, 0.8, 1.2);
    const [rc, rs] = rotation(uniform(rng, -0.22, 0.22));
    const tx = uniform(rng, -0.22, 0.22);
    const ty = uniform(rng, -0.22, 0.22);
    const contrast = (dark ? 1 : -1) * uniform(rng, 0.35, 0.7);
    for (let k = 0; k < PARTS; k++) {
      const kind = task.pool[template.kinds[k]];
      const [lx, ly] = template.cells[k];
      const jx = lx + 0.04 * gauss(rng);
      const jy = ly + 0.04 * gauss(rng);
      const cx = tx + scale * (jx * rc - jy * rs);
      const cy = ty + scale * (jx * rs + jy * rc);
      // Part orientation: the kind's, turned by the pose and a little jitter.
      const [jc, js] = rotation(0.08 * gauss(rng));
      const oc = kind.cos * rc - kind.sin * rs;
      const os = kind.sin * rc + kind.cos * rs;
      drawPart(
        img,
        size,
        channels,
        kind,
        cx,
        cy,
        oc * jc - os * js,
        os * jc + oc * js,
        scale,
        colorOf(kind, contrast),
      );
    }
    // Clutter: primitives from the same pool anywhere, weaker than the object.
    for (let k = 0; k < DISTRACTORS; k++) {
      const kind = task.pool[randInt(rng, POOL_SIZE)];
      const [dc, ds] = rotation(uniform(rng, -1, 1));
      const gain = contrast * uniform(rng, 0.4, 0.9);
      drawPart(
        img,
        size,
        channels,
        kind,
        uniform(rng, -0.9, 0.9),
        uniform(rng, -0.9, 0.9),
        dc,
        ds,
        uniform(rng, 0.7, 1.1),
        colorOf(kind, gain),
      );
    }
    // Pixel noise: triangular (sum of two uniforms, unit variance), cheaper than gauss per pixel.
    const noise = uniform(rng, 0.03, 0.1) * 2.449489742783178;
    const out = i * pix;
    for (let p = 0; p < pix; p++) {
      const v = img[p] + noise * (rng() + rng() - 1);
      x[out + p] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return { x, y, n: count };
}
