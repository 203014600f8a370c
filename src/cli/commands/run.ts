// gradflow run <experiment.json>: every run of a sweep not finished yet, N processes at a time,
// or one shard of it for a cluster job array. Re-running continues where the last attempt stopped.
import { resolve, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { UserError } from '../../ground/errors.js';
import { NUMERICS_OPTION } from '../common-options.js';

interface Args {
  experiment: string;
  workers: number;
  shard?: string;
  dryRun?: boolean;
  json?: boolean;
  only?: string;
  results: string;
  backend?: string;
  threads?: number;
  retrain?: string;
  allowNumericsChange?: boolean;
  progressEvery?: number;
}

const positiveInt = (name: string, value: number | undefined): void => {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new UserError(`--${name} must be a whole number >= 1, got ${value}`);
  }
};

const command: CommandModule<object, Args> = {
  command: 'run <experiment>',
  describe: 'Run every unfinished run of an experiment file (a depth sweep), resumably',
  builder: (y) =>
    y
      .positional('experiment', {
        type: 'string',
        demandOption: true,
        describe: 'experiment file (experiments/*.json)',
      })
      .option('workers', { type: 'number', default: 1, describe: 'runs at once, each in its own process' })
      .option('threads', { type: 'number', describe: 'backend threads per run (default: cores / workers)' })
      .option('shard', { type: 'string', describe: 'i/N: take run k where k mod N = i (job arrays)' })
      .option('only', { type: 'string', describe: 'only runs whose id matches this regular expression' })
      .option('dry-run', {
        type: 'boolean',
        describe:
          'list the runs and their state (done, resume, changed, unknown, damaged, held, to run); train nothing',
      })
      .option('json', {
        type: 'boolean',
        describe: 'with --dry-run: print [{id, config, fingerprint, state}] as JSON',
      })
      .option('results', {
        type: 'string',
        default: 'results',
        describe: 'results root; runs go to <results>/<experiment>/',
      })
      .option('backend', {
        type: 'string',
        describe: 'TF.js backend for every run (default: the fastest that works)',
      })
      .option('retrain', {
        type: 'string',
        describe:
          'changed: retrain runs whose results belong to another configuration (deleting them); damaged: runs with damaged files; or changed,damaged',
      })
      .option('allow-numerics-change', NUMERICS_OPTION)
      .option('progress-every', {
        type: 'number',
        default: 30,
        describe:
          'seconds between progress lines (each run: step, step time, ETA; the sweep: ETA) when not on a terminal',
      })
      .example('$0 run experiments/quick.json --workers 2', 'the quick sweep, two runs at a time')
      .example('$0 run experiments/he2015-cifar10.json --dry-run', 'list the runs and what is done')
      .example(
        '$0 run experiments/quick.json --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT',
        'one task of a job array',
      )
      .example('$0 run experiments/quick.json --only "plain-d(20|32)"', 'a subset by run id') as never,
  handler: async (args) => {
    positiveInt('workers', args.workers);
    positiveInt('threads', args.threads);
    const progressEvery = args.progressEvery ?? 30; // demo calls this handler without yargs' defaults
    if (!(progressEvery >= 0))
      throw new UserError(`--progress-every must be >= 0 seconds, got ${progressEvery}`);
    if (args.json && !args.dryRun) throw new UserError('--json goes with --dry-run');
    let only: RegExp | undefined;
    if (args.only !== undefined) {
      try {
        only = new RegExp(args.only);
      } catch (err) {
        throw new UserError(`--only: not a regular expression: ${(err as Error).message}`);
      }
    }
    const { loadExperiment } = await import('../../sweep/load.js');
    const { parseShard, takeShard } = await import('../../sweep/shard.js');
    const { rootRunIds, sourceRunId, withSources } = await import('../../sweep/dependencies.js');
    const shard = args.shard !== undefined ? parseShard(args.shard) : undefined;

    const experiment = await loadExperiment(args.experiment);
    // The analyses asked for, checked now so that a bad entry stops the sweep before it trains.
    const { resolveAnalyses } = await import('../../analyses/registry.js');
    const { analyses, problems } = resolveAnalyses(experiment.analyses);
    if (problems.length) {
      throw new UserError(
        `${args.experiment}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      );
    }
    let specs = experiment.specs;
    // A selected transfer run brings the run it starts from; a shard keeps them together.
    if (only)
      specs = withSources(
        specs.filter((s) => only.test(s.id)),
        experiment.specs,
      );
    if (shard) specs = takeShard(specs, shard, rootRunIds(specs));
    const experimentDir = join(resolve(args.results), experiment.name);

    const { checkBackend } = await import('../../engine/index.js');
    await checkBackend(args.backend); // once here, not once per worker
    const { parseRetrain, describeState, StaleRunsError, DamagedRunError } =
      await import('../../train/run-state.js');
    const retrain = parseRetrain(args.retrain);
    const { assessRuns, runSweep, stopAllWorkers, liveWorkerCount, threadsPerWorker } =
      await import('../../sweep/run-sweep.js');
    const runs = assessRuns(specs, experimentDir, experiment.specs);
    if (args.dryRun) {
      if (args.json) {
        const rows = runs.map((r) => ({
          id: r.spec.id,
          config: r.spec.config,
          fingerprint: r.fingerprint,
          state: r.state,
        }));
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      const width = Math.max(0, ...specs.map((s) => s.id.length));
      for (const { spec, state } of runs) {
        const source = sourceRunId(spec.config);
        console.log(`${spec.id.padEnd(width)}  ${describeState(state)}${source ? ` (after ${source})` : ''}`);
      }
      const count = (kind: string) => runs.filter((r) => r.state.kind === kind).length;
      const tally = ['done', 'resume', 'retry', 'new', 'changed', 'unknown', 'damaged', 'held']
        .filter((k) => count(k) > 0)
        .map((k) => `${count(k)} ${k === 'new' ? 'to run' : k}`)
        .join(', ');
      console.log(
        `${specs.length} runs${shard ? ` in shard ${shard.index}/${shard.count}` : ''} of ${experiment.specs.length} in ${experiment.name}` +
          `${tally ? ` (${tally})` : ''}; results in ${experimentDir}`,
      );
      return;
    }

    // Stale results stop the sweep before any work: one list of every run that differs.
    const stale = runs.filter((r) => r.state.kind === 'changed' || r.state.kind === 'unknown');
    if (stale.length && !retrain.changed) {
      throw new StaleRunsError(
        stale.map((r) => ({ id: r.spec.id, state: r.state })),
        'another experiment name ("name" in the file) or --results root',
      );
    }
    for (const r of runs) {
      if (r.state.kind === 'damaged' && !r.state.removable) throw new DamagedRunError(r.spec.id, r.state);
    }

    const threads = args.threads ?? threadsPerWorker(args.workers);
    const resumesMidway = runs.some(
      (r) => (r.state.kind === 'resume' || r.state.kind === 'retry') && (r.state.step ?? 0) > 0,
    );
    if (resumesMidway && !args.allowNumericsChange) {
      // The numerics the workers will get here, against those each resumable run trained under.
      const { initEngine } = await import('../../engine/index.js');
      const engine = await initEngine({ backend: args.backend, threads, quiet: true });
      const { resumeNumericsConflicts } = await import('../../sweep/numerics-check.js');
      const conflicts = resumeNumericsConflicts(runs, experimentDir, { ...engine, threads });
      if (conflicts.length) {
        const { NumericsChangedError } = await import('../../train/numerics.js');
        throw new NumericsChangedError(conflicts);
      }
    }

    const todo = runs.filter((r) => r.state.kind !== 'done').length;
    console.log(
      `${experiment.name}: ${specs.length} runs, ${specs.length - todo} already done, ${todo} to run with ${args.workers} worker(s); results in ${experimentDir}`,
    );
    const { createReporter } = await import('../../sweep/progress.js');
    const reporter = await createReporter(todo, { everySeconds: progressEvery });
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      const code = signal === 'SIGINT' ? 130 : 143;
      if (stopping) process.exit(code); // a second Ctrl-C: leave now
      stopping = true;
      reporter.stop();
      const n = liveWorkerCount();
      if (n)
        console.error(
          `\ninterrupted (${signal}); waiting for ${n} run(s) to save their checkpoints (again to leave now)`,
        );
      void stopAllWorkers('SIGTERM').then(() => {
        console.error(
          `interrupted (${signal}); nothing more was started; run the same command again to resume`,
        );
        process.exit(code);
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);

    const retrainFlag = [retrain.changed && 'changed', retrain.damaged && 'damaged']
      .filter(Boolean)
      .join(',');
    const { writeSweepPlan } = await import('../../store/sweep-plan.js');
    writeSweepPlan(experimentDir, { experiment: experiment.name, runs: experiment.specs.map((s) => s.id) });
    const outcome = await runSweep(runs, {
      experimentDir,
      workers: args.workers,
      threads,
      backend: args.backend,
      retrain: retrainFlag || undefined,
      allowNumericsChange: args.allowNumericsChange,
      onEvent: (e) => reporter.onEvent(e),
    });
    reporter.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (specs.length)
      console.log(
        `summary: ${join(experimentDir, 'summary.csv')}, ${join(experimentDir, 'summary-by-config.csv')}`,
      );
    if (analyses.length) {
      // After training, in this process: each analysis on every completed run of the selection
      // (an analysis at initialisation on every run that has a manifest).
      const { readManifest } = await import('../../store/run-dir.js');
      const statusOf = (dir: string) => {
        try {
          return readManifest(dir)?.status ?? null;
        } catch {
          return null;
        }
      };
      const dirs = specs.map((s) => ({
        dir: join(experimentDir, s.id),
        status: statusOf(join(experimentDir, s.id)),
      }));
      const { initEngine } = await import('../../engine/index.js');
      await initEngine({ backend: args.backend, threads: args.threads, quiet: true });
      const { analyseRuns } = await import('../../analyses/definition.js');
      const analysisFailures: string[] = [];
      for (const { def, settings } of analyses) {
        const eligible = dirs
          .filter((d) => (def.atInitialisation ? d.status !== null : d.status === 'completed'))
          .map((d) => d.dir);
        const { failed } = await analyseRuns(def, eligible, settings, { log: (line) => console.log(line) });
        analysisFailures.push(...failed.map((id) => `${def.name} ${id}`));
      }
      if (analysisFailures.length) process.exitCode = 1; // said per run above; the runs themselves are done
    }
    if (outcome.interrupted.length) {
      // Stopped by a signal another process sent the workers (a scheduler's preemption): resumable.
      console.error(
        `interrupted: ${outcome.interrupted.join(', ')}; nothing more was started; run the same command again to resume`,
      );
      process.exitCode = 130;
      return;
    }
    if (outcome.held.length) {
      console.log(
        `${outcome.held.length} run(s) left to another process that holds them: ${outcome.held.join(', ')}`,
      );
    }
    if (outcome.failed.length) {
      // A failed run is not the user's input being wrong: exit 1, and name the runs to look at.
      throw new Error(
        `${outcome.failed.length} of ${specs.length} runs failed: ${outcome.failed.join(', ')}; re-run to retry them`,
      );
    }
    if (outcome.damaged.length) {
      throw new UserError(
        `${outcome.damaged.length} run(s) not run because their files are damaged (listed above): ${outcome.damaged.join(', ')}; ` +
          `--retrain damaged trains them again from scratch`,
      );
    }
  },
};

export default command;
