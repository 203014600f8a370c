// The training loop of one run: batches -> forward/backward -> probes -> optimiser step, with
// running training metrics, evaluation each epoch, health warnings, checkpoints and divergence.
// Step numbering: `step` counts completed updates. A probe row at step k describes the gradient at
// the weights after k updates (k = 0 is the initialisation) and the update applied there.
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../ground/errors.js';
import type { RunConfig } from '../config/schema.js';
import { BatchIterator, type IteratorState } from '../data/batches.js';
import type { Dataset } from '../data/types.js';
import type { Model, ParamInfo } from '../models/types.js';
import { HealthMonitor } from '../probes/health.js';
import { Prober } from '../probes/prober.js';
import type { CsvLog } from '../store/csv-log.js';
import type { HealthWarning, LayerRow, Manifest, MetricRow } from '../store/types.js';
import { loadCheckpoint, readNamedArray, saveCheckpoint } from '../weights/checkpoint.js';
import { evaluate } from './evaluate.js';
import { makeOptimizer, type Optimizer } from './optimizers.js';
import { learningRate } from './schedule.js';
import { disposeStep, forwardBackward } from './step.js';
import type { TransferPlan } from './transfer.js';

export interface TrainerState {
  step: number;
  warmedUp: boolean;
  window: { loss: number; error: number; ms: number; count: number };
  iterator: IteratorState;
  elapsedSeconds: number;
  warnings: HealthWarning[];
}

export interface TrainOutcome {
  status: 'completed' | 'diverged' | 'interrupted';
  step: number;
  reason?: string;
  warnings: HealthWarning[];
  elapsedSeconds: number;
}

export interface ProgressEvent {
  step: number;
  totalSteps: number;
  loss: number;
  error: number;
  stepMs: number;
}

export interface TrainerIO {
  runDir: string;
  metrics: CsvLog<MetricRow>;
  layers: CsvLog<LayerRow>;
  onProgress?: (p: ProgressEvent) => void;
  onWarning?: (w: HealthWarning) => void;
  /** Polled between steps; true asks the loop to checkpoint and stop (SIGINT/SIGTERM). */
  shouldStop?: () => boolean;
}

export class Trainer {
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  private readonly logEvery: number;
  private readonly trainable: ParamInfo[];
  private readonly paramsByName: Map<string, tf.Variable>;
  private readonly optimizer: Optimizer;
  private iterator: BatchIterator;
  private state: TrainerState;
  private health: HealthMonitor;
  private lastCheckpointTime = Date.now();
  /** Kernels at the start of the run (the pretrained ones when transferring), for weight_drift. */
  private initialKernels: tf.Tensor[];

  constructor(
    private readonly model: Model,
    private readonly data: Dataset,
    private readonly cfg: RunConfig,
    private readonly io: TrainerIO,
    private readonly transfer?: TransferPlan,
  ) {
    const t = cfg.train;
    this.stepsPerEpoch = Math.max(1, Math.floor(data.train.n / t.batchSize));
    if (data.train.n < t.batchSize) {
      throw new UserError(
        `train.batchSize ${t.batchSize} exceeds the ${data.train.n} training examples of ${data.name}; lower it or use more data`,
      );
    }
    this.totalSteps = t.steps ?? Math.max(1, Math.round((t.epochs ?? 1) * this.stepsPerEpoch));
    this.logEvery = Math.min(50, Math.max(1, Math.round(this.totalSteps / 100)));
    this.trainable = model.params.filter((p) => p.trainable && !transfer?.frozen.has(p.name));
    this.paramsByName = new Map(model.params.map((p) => [p.name, p.variable]));
    this.initialKernels = model.layers.map((l) => tf.clone(this.paramsByName.get(l.kernel)!));
    this.optimizer = makeOptimizer(t);
    this.iterator = new BatchIterator(data.train, data.inputShape, t.batchSize, cfg.seed, cfg.data.augment);
    this.state = {
      step: 0,
      warmedUp: t.warmup?.type !== 'until-error',
      window: { loss: 0, error: 0, ms: 0, count: 0 },
      iterator: this.iterator.state,
      elapsedSeconds: 0,
      warnings: [],
    };
    this.health = new HealthMonitor();
  }

  /** Restores weights, optimiser, data order and loop state from the run's checkpoint, if any. */
  resume(): number | null {
    const ckpt = loadCheckpoint<TrainerState>(this.io.runDir);
    if (!ckpt) return null;
    const slots = [];
    for (const t of ckpt.tensors) {
      if (t.name.startsWith('opt:')) {
        slots.push({ ...t, name: t.name.slice(4) });
        continue;
      }
      if (t.name.startsWith('init:')) {
        const i = this.model.layers.findIndex((l) => l.kernel === t.name.slice(5));
        if (i >= 0) {
          this.initialKernels[i].dispose();
          this.initialKernels[i] = tf.tensor(t.data, t.shape);
        }
        continue;
      }
      const v = this.paramsByName.get(t.name);
      if (!v)
        throw new Error(`checkpoint in ${this.io.runDir} has parameter ${t.name}, which this model lacks`);
      if (v.shape.join('x') !== t.shape.join('x')) {
        throw new Error(`checkpoint parameter ${t.name} has shape [${t.shape}], the model's is [${v.shape}]`);
      }
      tf.tidy(() => v.assign(tf.tensor(t.data, t.shape)));
    }
    this.optimizer.loadSlots(slots);
    this.state = ckpt.state;
    this.iterator = BatchIterator.restore(
      this.data.train,
      this.data.inputShape,
      this.cfg.train.batchSize,
      ckpt.state.iterator,
      this.cfg.data.augment,
    );
    this.health = new HealthMonitor(ckpt.state.warnings);
    return this.state.step;
  }

  private async checkpoint(): Promise<void> {
    this.state.iterator = this.iterator.state;
    this.state.warnings = this.health.warnings;
    const tensors = [];
    for (const p of this.model.params) tensors.push(await readNamedArray(p.name, p.variable));
    const slots = (await this.optimizer.slots()).map((s) => ({ ...s, name: `opt:${s.name}` }));
    const initial = [];
    for (const [i, k] of this.initialKernels.entries())
      initial.push(await readNamedArray(`init:${this.model.layers[i].kernel}`, k));
    saveCheckpoint(this.io.runDir, { state: this.state, tensors: [...tensors, ...slots, ...initial] });
    this.lastCheckpointTime = Date.now();
  }

  private get probeEvery(): number | null {
    return this.cfg.probe.enabled ? this.cfg.probe.every : null;
  }

  async run(): Promise<TrainOutcome> {
    const prober = new Prober(this.model.layers, this.cfg.probe.stats);
    const kernelVars = this.model.layers.map((l) => this.paramsByName.get(l.kernel)!);
    const started = Date.now() - this.state.elapsedSeconds * 1000;
    const elapsed = () => (Date.now() - started) / 1000;
    const t = this.cfg.train;

    // Test hook for the kill -9 resume test: a real SIGKILL at a chosen step, no cleanup.
    const killAt = Number(process.env.GRADFLOW_TEST_KILL_AT_STEP ?? NaN);
    while (this.state.step < this.totalSteps) {
      const step = this.state.step;
      if (step === killAt) process.kill(process.pid, 'SIGKILL');
      const probing = this.probeEvery !== null && step % this.probeEvery === 0;
      const lr = learningRate(t, step, this.totalSteps, this.state.warmedUp);
      const t0 = performance.now();
      const batch = this.iterator.next();
      const x = tf.tensor(batch.x, [batch.size, ...this.data.inputShape]);
      const y = tf.tensor1d(batch.y, 'int32');
      const out = forwardBackward(this.model, x, y, this.trainable, {
        tap: probing && prober.needsTaps,
        frozenNorms: this.transfer?.frozenNorms,
        frozenStages: this.transfer?.frozenStages,
        // A function of seed and step: the same masks again after a resume.
        dropoutSeed: this.cfg.seed * 1_000_003 + step * 1009,
      });
      // One read a step, asynchronous (a GPU backend cannot read synchronously in Node): a diverged step
      // must not update the weights.
      const lossAndError = tf.stack([out.loss, out.error]);
      const [loss, error] = await lossAndError.data();
      lossAndError.dispose();
      let probeRows: LayerRow[] = [];
      const noGrad: tf.Tensor[] = []; // frozen layers: probed as a zero gradient
      if (probing) {
        const gradOf = (kernel: string) =>
          out.grads.get(kernel) ?? noGrad[noGrad.push(tf.zerosLike(this.paramsByName.get(kernel)!)) - 1];
        prober.beforeUpdate({
          kernelGrads: this.model.layers.map((l) => gradOf(l.kernel)),
          kernels: kernelVars,
          kernelsInitial: this.initialKernels,
          responses: out.responses,
          activations: out.activations,
        });
      }
      const diverged = !Number.isFinite(loss);
      if (!diverged)
        this.optimizer.apply(this.paramsByName, Object.fromEntries(out.grads), lr, this.transfer?.lrScale);
      if (probing) probeRows = await prober.afterUpdate(step, kernelVars);
      disposeStep(out);
      tf.dispose([x, y, ...noGrad]);
      const ms = performance.now() - t0;

      if (probeRows.length) {
        await this.io.layers.append(probeRows);
        for (const w of this.health.check(probeRows)) this.io.onWarning?.(w);
      }
      if (diverged) {
        return {
          status: 'diverged',
          step,
          reason: `loss became ${loss} at step ${step}`,
          warnings: this.health.warnings,
          elapsedSeconds: elapsed(),
        };
      }

      this.state.step = step + 1;
      const w = this.state.window;
      w.loss += loss;
      w.error += error;
      w.ms += ms;
      w.count += 1;
      const epoch = this.state.step / this.stepsPerEpoch;
      if (this.state.step % this.logEvery === 0 || this.state.step === this.totalSteps) {
        const meanError = w.error / w.count;
        await this.io.metrics.append([
          { step: this.state.step, epoch, split: 'train', metric: 'loss', value: w.loss / w.count },
          { step: this.state.step, epoch, split: 'train', metric: 'error', value: meanError },
          { step: this.state.step, epoch, split: 'train', metric: 'lr', value: lr },
          { step: this.state.step, epoch, split: 'train', metric: 'step_ms', value: w.ms / w.count },
        ]);
        if (!this.state.warmedUp && t.warmup?.type === 'until-error' && meanError < t.warmup.belowError)
          this.state.warmedUp = true;
        this.state.window = { loss: 0, error: 0, ms: 0, count: 0 };
      }
      this.io.onProgress?.({ step: this.state.step, totalSteps: this.totalSteps, loss, error, stepMs: ms });

      const epochEnd = this.state.step % this.stepsPerEpoch === 0;
      const evalDue = t.evalEvery ? this.state.step % t.evalEvery === 0 : epochEnd;
      if (evalDue && this.state.step < this.totalSteps) await this.logEval(epoch); // the last one is finalEvaluation's
      // The last checkpoint holds the final weights: transfer runs start from it.
      const checkpointDue =
        epochEnd ||
        this.state.step === this.totalSteps ||
        Date.now() - this.lastCheckpointTime > t.checkpointMinutes * 60_000;
      if (checkpointDue) {
        this.state.elapsedSeconds = elapsed();
        await this.checkpoint();
      }
      if (this.io.shouldStop?.()) {
        this.state.elapsedSeconds = elapsed();
        await this.checkpoint();
        return {
          status: 'interrupted',
          step: this.state.step,
          reason: `interrupted at step ${this.state.step}; run again to resume`,
          warnings: this.health.warnings,
          elapsedSeconds: elapsed(),
        };
      }
      // Yield to the event loop so signals and progress rendering get a turn between steps.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return {
      status: 'completed',
      step: this.state.step,
      warnings: this.health.warnings,
      elapsedSeconds: elapsed(),
    };
  }

  private async logEval(epoch: number): Promise<{ loss: number; error: number }> {
    const r = await evaluate(this.model, this.data.test, Math.max(this.cfg.train.batchSize, 256));
    await this.io.metrics.append([
      { step: this.state.step, epoch, split: this.data.evalSplit, metric: 'loss', value: r.loss },
      { step: this.state.step, epoch, split: this.data.evalSplit, metric: 'error', value: r.error },
    ]);
    return r;
  }

  /** Final numbers: the eval split in full and a fixed slice of the training split, both in inference mode. */
  async finalEvaluation(): Promise<NonNullable<Manifest['final']>> {
    const epoch = this.state.step / this.stepsPerEpoch;
    const test = await this.logEval(epoch);
    const examples = this.cfg.train.finalTrainExamples;
    const train = await evaluate(
      this.model,
      this.data.train,
      Math.max(this.cfg.train.batchSize, 256),
      examples === 'all' ? Infinity : examples,
    );
    await this.io.metrics.append([
      { step: this.state.step, epoch, split: 'train_eval', metric: 'loss', value: train.loss },
      { step: this.state.step, epoch, split: 'train_eval', metric: 'error', value: train.error },
    ]);
    return {
      trainError: train.error,
      trainLoss: train.loss,
      testError: test.error,
      testLoss: test.loss,
      trainExamples: train.n,
    };
  }

  dispose(): void {
    this.optimizer.dispose();
    tf.dispose(this.initialKernels);
  }
}
