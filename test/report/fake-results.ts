// Writes fake run directories in the exact on-disk format of src/store/types.ts (manifest.json,
// metrics.csv, layers.csv), so the report is tested before and independently of the trainer.
// The curves are shaped like the papers': deeper plain nets end higher, residual ones lower,
// gradients shrink towards the input in plain nets without normalisation.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeToPath } from 'fast-csv';
import seedrandom from 'seedrandom';
import { RunConfig } from '../../src/config/schema.js';
import {
  LAYER_COLUMNS,
  METRIC_COLUMNS,
  type HealthWarning,
  type Manifest,
  type RunStatus,
} from '../../src/store/types.js';

const tempDirs: string[] = [];

/** A fresh temporary directory, removed by removeTempDirs (call it from afterAll). */
export async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `gradflow-report-${name}-`));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true });
}

export interface FakeRun {
  experiment: string;
  residual: boolean;
  depth: number;
  seed: number;
  norm?: 'batch' | 'none';
  family?: 'cifar' | 'mlp' | 'vgg';
  /** A transfer run: how the pretrained body is adapted. */
  transfer?: { mode: 'linear' | 'finetune' | 'finetune-last' | 'scratch'; stages?: number };
  /** The block name (default: basic for residual runs, plain otherwise). */
  block?: string;
  labelsPerClass?: number;
  activation?: 'relu' | 'tanh' | 'sigmoid';
  id?: string;
  steps?: number;
  logEvery?: number;
  evalEvery?: number;
  probeEvery?: number;
  /** Final training error; the curve decays towards it. Default: the degradation shape. */
  finalTrainError?: number;
  /** Test error minus training error (default 0.03). */
  testGap?: number;
  /** Diverge at this step: metrics stop there with NaN loss, status 'diverged'. */
  divergeAt?: number;
  warnings?: HealthWarning[];
  /** Per-layer gradient norm factor from the output back (default: 0.7 plain without norm, else 0.99). */
  gradDecay?: number;
  /** Write layers.csv with a plain join instead of fast-csv (large sweeps; same bytes). */
  fastLayers?: boolean;
  /** Copy this layers.csv instead of generating one (large sweeps: same bytes for every seed). */
  copyLayersFrom?: string;
  /** Write a partial last line to metrics.csv, as a killed writer would. */
  tornMetrics?: boolean;
}

/** Default final training error: plain nets degrade with depth, residual nets improve. */
export function degradationShape(residual: boolean, depth: number, seed: number): number {
  const jitter = (seedrandom(`e${depth}-${seed}-${residual}`)() - 0.5) * 0.01;
  return residual ? 0.08 - 0.0004 * depth + jitter : 0.06 + 0.001 * depth + jitter;
}

export function layerNames(depth: number): string[] {
  const perStage = (depth - 2) / 3;
  const names = ['stem.conv'];
  for (let s = 1; s <= 3; s++) {
    for (let i = 0; i < perStage; i++)
      names.push(`stage${s}.block${Math.floor(i / 2) + 1}.conv${(i % 2) + 1}`);
  }
  names.push('head.dense'); // the name gradflow's models give their last layer
  return names.slice(0, depth);
}

export async function writeFakeRun(root: string, spec: FakeRun): Promise<string> {
  const norm = spec.norm ?? 'batch';
  const family = spec.family ?? 'cifar';
  const transferTag = spec.transfer ? `-${spec.transfer.mode}-l${spec.labelsPerClass ?? 'all'}` : '';
  const id =
    spec.id ??
    `${family}-${spec.block ?? (spec.residual ? 'basic' : 'plain')}-${norm}-d${spec.depth}${transferTag}-s${spec.seed}`;
  const dir = join(root, spec.experiment, id);
  await mkdir(dir, { recursive: true });
  const steps = spec.steps ?? 400;
  const logEvery = spec.logEvery ?? 20;
  const evalEvery = spec.evalEvery ?? 100;
  const probeEvery = spec.probeEvery ?? 100;
  const final = spec.finalTrainError ?? degradationShape(spec.residual, spec.depth, spec.seed);
  const rand = seedrandom(`${id}`);
  const lastStep = spec.divergeAt ?? steps;

  const errorAt = (step: number, gap: number) => final + gap + (0.9 - final) * Math.exp(-step / (steps / 6));
  const metrics: (string | number)[][] = [];
  for (let step = logEvery; step <= lastStep; step += logEvery) {
    const epoch = Math.floor(step / evalEvery);
    const diverged = spec.divergeAt !== undefined && step >= spec.divergeAt;
    metrics.push([step, epoch, 'train', 'loss', diverged ? 'NaN' : 2.3 * errorAt(step, 0)]);
    metrics.push([step, epoch, 'train', 'error', diverged ? 0.9 : errorAt(step, 0) + (rand() - 0.5) * 0.01]);
    metrics.push([step, epoch, 'train', 'lr', 0.1]);
    metrics.push([step, epoch, 'train', 'step_ms', 30 + spec.depth + rand()]);
    if (step % evalEvery === 0 && !diverged) {
      metrics.push([step, epoch, 'test', 'error', errorAt(step, spec.testGap ?? 0.03)]);
      metrics.push([step, epoch, 'test', 'loss', 2.3 * errorAt(step, spec.testGap ?? 0.03)]);
    }
  }
  await writeCsv(join(dir, 'metrics.csv'), METRIC_COLUMNS, metrics);
  if (spec.tornMetrics)
    await writeFile(join(dir, 'metrics.csv'), `${lastStep + logEvery},0,tra`, { flag: 'a' });

  if (spec.copyLayersFrom) await copyFile(spec.copyLayersFrom, join(dir, 'layers.csv'));
  else await writeFakeLayers(join(dir, 'layers.csv'), spec, { norm, steps, lastStep, probeEvery, rand });

  const status: RunStatus = spec.divergeAt !== undefined ? 'diverged' : 'completed';
  const config = RunConfig.parse({
    model: {
      family,
      depth: spec.depth,
      block: spec.block ?? (spec.residual ? 'basic' : 'plain'),
      norm,
      activation: spec.activation ?? 'relu',
    },
    train: { steps },
    probe: { every: probeEvery },
    seed: spec.seed,
    ...(spec.labelsPerClass ? { data: { labelsPerClass: spec.labelsPerClass } } : {}),
    ...(spec.transfer
      ? {
          transfer: {
            from: `results/pretrain/${family}-d${spec.depth}`,
            mode: spec.transfer.mode,
            stages: spec.transfer.stages ?? 1,
          },
        }
      : {}),
  });
  const manifest: Manifest = {
    id,
    experiment: spec.experiment,
    config,
    seed: spec.seed,
    status,
    ...(status === 'diverged' ? { statusStep: spec.divergeAt, statusReason: 'loss is NaN' } : {}),
    backend: { name: 'wasm', version: '4.22.0', threads: 2 },
    versions: { gradflow: '0.1.0', tfjs: '4.22.0', node: process.version },
    gitCommit: 'dd1008b',
    host: 'test',
    startedAt: '2026-11-25T09:00:00.000Z',
    endedAt: '2026-11-25T09:05:00.000Z',
    wallSeconds: 12 + spec.depth * 0.5,
    params: { trainable: 4000 * spec.depth, total: 4100 * spec.depth },
    residual: spec.residual,
    classes: 10,
    steps: lastStep,
    totalSteps: steps,
    ...(status === 'completed'
      ? {
          final: {
            trainError: errorAt(steps, 0),
            trainLoss: 2.3 * errorAt(steps, 0),
            testError: errorAt(steps, spec.testGap ?? 0.03),
            testLoss: 0.5,
          },
        }
      : {}),
    warnings: spec.warnings ?? [],
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

async function writeFakeLayers(
  path: string,
  spec: FakeRun,
  o: { norm: string; steps: number; lastStep: number; probeEvery: number; rand: () => number },
): Promise<void> {
  const names = layerNames(spec.depth);
  // Large sweeps (fastLayers) go straight to text lines; fast-csv costs ~7 us a row.
  const layers: (string | number)[][] = [];
  const lines: string[] = [LAYER_COLUMNS.join(',')];
  const add = (row: (string | number)[]) => (spec.fastLayers ? lines.push(row.join(',')) : layers.push(row));
  // Per layer from the output back: plain nets without norm lose ~15% of gradient norm a layer.
  const decay = spec.gradDecay ?? (!spec.residual && o.norm === 'none' ? 0.7 : 0.99);
  const rand = o.rand;
  // Transfer: which layers train. linear: the head only; finetune-last: the last third and the head.
  const mode = spec.transfer?.mode;
  const trains = (d: number) =>
    !mode ||
    mode === 'finetune' ||
    d === names.length - 1 ||
    (mode === 'finetune-last' && d >= (names.length * 2) / 3);
  for (let step = 0; step <= o.lastStep; step += o.probeEvery) {
    const progress = step / o.steps;
    names.forEach((layer, d) => {
      const kind = layer === 'head.dense' ? 'dense' : 'conv';
      const learnt = 0.5 * decay ** (names.length - 1 - d) * (1 - 0.5 * progress) * (1 + 0.1 * rand());
      const grad = trains(d) ? learnt : NaN; // frozen parameters get no gradient
      const drift = trains(d) ? (mode ? 0.02 + (0.1 * d * progress) / names.length : 0.5 * progress) : 0;
      const weight = 3 + 0.5 * progress + rand() * 0.1;
      const response = spec.residual ? 0.6 * (20 / spec.depth) ** 0.3 * (1 + 0.2 * rand()) : 1 + 0.2 * rand();
      const update = step === 0 ? 0 : 1e-3 * (1 - 0.8 * progress) * (0.5 + rand());
      add([step, layer, d, kind, 'grad_norm', grad]);
      add([step, layer, d, kind, 'weight_norm', weight]);
      add([step, layer, d, kind, 'grad_weight_ratio', grad / weight]);
      add([step, layer, d, kind, 'update_ratio', update]);
      add([step, layer, d, kind, 'weight_drift', drift]);
      add([step, layer, d, kind, 'response_std', response]);
      add([step, layer, d, kind, 'response_mean', 0.1 * rand()]);
      add([step, layer, d, kind, 'dead_fraction', 0.05 * rand()]);
    });
  }
  if (spec.fastLayers) await writeFile(path, lines.join('\n') + '\n');
  else await writeCsv(path, LAYER_COLUMNS, layers);
}

function writeCsv(path: string, headers: readonly string[], rows: (string | number)[][]): Promise<void> {
  return new Promise((resolve, reject) => {
    writeToPath(path, rows, { headers: [...headers], includeEndRowDelimiter: true })
      .on('finish', () => resolve())
      .on('error', reject);
  });
}

export interface FakeSweep {
  experiment: string;
  depths: number[];
  seeds: number[];
  norms?: ('batch' | 'none')[];
  residual?: boolean[];
  finalTrainError?: (residual: boolean, depth: number, seed: number) => number;
  extra?: Partial<FakeRun>;
}

/** A depth sweep (plain and residual by default), written under root/<experiment>/. */
export async function writeFakeSweep(root: string, sweep: FakeSweep): Promise<string> {
  for (const norm of sweep.norms ?? ['batch']) {
    for (const residual of sweep.residual ?? [false, true]) {
      for (const depth of sweep.depths) {
        for (const seed of sweep.seeds) {
          await writeFakeRun(root, {
            experiment: sweep.experiment,
            residual,
            depth,
            seed,
            norm,
            finalTrainError: sweep.finalTrainError?.(residual, depth, seed),
            ...sweep.extra,
          });
        }
      }
    }
  }
  return join(root, sweep.experiment);
}

/**
 * A transfer experiment: plain and residual backbones, linear probe vs fine-tune-last vs
 * full fine-tuning, label budgets 10 and 100, 2 seeds. Target test error is lower for the
 * residual net and for fine-tuning, and falls with more labels. `baselines` adds a VGG backbone
 * and runs from scratch (the worst at every budget); the VGG overfits more when fine-tuned.
 */
export async function writeTransferFixture(root: string, baselines = false): Promise<string> {
  const modes = ['linear', 'finetune-last', 'finetune'] as const;
  if (baselines) {
    for (const mode of ['linear', 'finetune', 'scratch'] as const) {
      for (const seed of [0, 1]) {
        const error = { linear: 0.4, finetune: 0.3, scratch: 0.55 }[mode] + seed * 0.005;
        await writeFakeRun(root, {
          experiment: 'transfer',
          family: 'vgg',
          residual: false,
          depth: 11,
          seed,
          transfer: { mode },
          labelsPerClass: 10,
          finalTrainError: error - 0.03,
          testGap: mode === 'finetune' ? 0.2 : 0.03,
          steps: 100,
          logEvery: 10,
          evalEvery: 50,
          probeEvery: 50,
        });
      }
    }
  }
  for (const residual of [false, true]) {
    for (const mode of baselines ? [...modes, 'scratch' as const] : modes) {
      for (const labelsPerClass of [10, 100]) {
        for (const seed of [0, 1]) {
          const error =
            0.5 -
            (residual ? 0.08 : 0) -
            (mode === 'scratch' ? -0.2 : modes.indexOf(mode) * 0.06) -
            (labelsPerClass === 100 ? 0.15 : 0) +
            seed * 0.005;
          await writeFakeRun(root, {
            experiment: 'transfer',
            residual,
            depth: 14,
            seed,
            transfer: { mode },
            labelsPerClass,
            finalTrainError: error - 0.03,
            steps: 100,
            logEvery: 10,
            evalEvery: 50,
            probeEvery: 50,
          });
        }
      }
    }
  }
  return join(root, 'transfer');
}

/** The standard fixture: plain and residual, depths 8/14/20, 2 seeds, BN and no norm, one
 *  diverged run, health warnings, a torn metrics line and a directory without a manifest. */
export async function writeStandardFixture(root: string): Promise<string> {
  const experiment = 'fixture';
  const dir = await writeFakeSweep(root, {
    experiment,
    depths: [8, 14, 20],
    seeds: [0, 1],
    norms: ['batch', 'none'],
  });
  await writeFakeRun(root, {
    experiment,
    residual: false,
    depth: 20,
    seed: 2,
    norm: 'none',
    divergeAt: 240,
    tornMetrics: true,
    warnings: [
      {
        kind: 'vanishing',
        layer: 'stem.conv',
        depthIndex: 0,
        step: 0,
        value: 1e-7,
        message: 'grad norm 1e-7 < 1e-6',
      },
      {
        kind: 'exploding',
        layer: 'head.dense',
        depthIndex: 19,
        step: 200,
        value: 1e4,
        message: 'grad norm 1e4 > 1e3',
      },
    ],
  });
  await writeFakeRun(root, {
    experiment,
    residual: false,
    depth: 14,
    seed: 2,
    norm: 'batch',
    warnings: [
      {
        kind: 'dead_relu',
        layer: 'stage1.block2.conv1',
        depthIndex: 3,
        step: 300,
        value: 0.62,
        message: '62% of units dead',
      },
    ],
  });
  await mkdir(join(dir, 'half-written'), { recursive: true });
  await writeFile(
    join(dir, 'half-written', 'metrics.csv'),
    `${METRIC_COLUMNS.join(',')}\n20,0,train,error,0.5\n`,
  );
  return dir;
}
