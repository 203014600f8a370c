// A real cluster, not a simulation: a one-node Slurm cluster runs examples/slurm/sweep.sbatch as
// a job array of 4 tasks (one shard each) plus its dependent summarize job, and the summary must
// equal a local `--workers 1` run of the same sweep.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../src/store/types.js';
import {
  cliPath,
  ensureBuilt,
  repoRoot,
  runCli,
  removeTempDirs,
  tempDir,
  writeTinyExperiment,
} from './cli-helper.js';
import { slurmMissing, startSlurmCluster, type SlurmCluster } from './slurm-cluster.js';

afterAll(() => removeTempDirs());

const backend = process.env.GRADFLOW_SWEEP_TEST_BACKEND ?? 'wasm';
const runFlags = ['--backend', backend, '--threads', '1'];

/** run, status, train_error, test_error of each row: what must agree between the two sweeps. */
function outcomes(experimentDir: string): string[] {
  const [header, ...rows] = readFileSync(join(experimentDir, 'summary.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const pick = ['run', 'status', 'train_error', 'test_error'].map((c) => header.indexOf(c));
  return rows.map((row) => pick.map((i) => row[i]).join(','));
}

const missing = slurmMissing();
if (missing) console.warn(`Slurm integration test skipped: ${missing}`);

(missing ? describe.skip : describe)('examples/slurm/sweep.sbatch on a one-node Slurm cluster', () => {
  let cluster: SlurmCluster | undefined;

  beforeAll(() => ensureBuilt(), 300_000);
  afterAll(async () => {
    await cluster?.stop(); // every daemon it started, by PID, even when the test failed
  }, 60_000);

  it('covers the sweep exactly once over a 4-task array and summarizes it like a local run', async () => {
    const t0 = Date.now();
    cluster = await startSlurmCluster();
    const idleMs = Date.now() - t0;

    const dir = tempDir('slurm-sweep');
    const file = writeTinyExperiment(dir, 'tiny');
    const clusterResults = join(dir, 'cluster');
    const script = join(repoRoot, 'examples', 'slurm', 'sweep.sbatch');
    // Jobs run in the temp dir (their output files land there), so they call the CLI by path
    // rather than through npx, which looks for the package in the working directory.
    cluster.env.GRADFLOW = `${process.execPath} ${cliPath()}`;
    // One CPU per task so two tasks share the node.
    const jobId = cluster
      .client(
        'sbatch',
        [
          '--parsable',
          '--array=0-3',
          '--cpus-per-task=1',
          `--chdir=${dir}`,
          `--output=${dir}/slurm-%A_%a.out`,
          script,
          file,
          '--results',
          clusterResults,
          ...runFlags,
        ],
        dir,
      )
      .trim();
    expect(jobId).toMatch(/^\d+$/);
    await cluster.waitForAllJobs(300_000);
    const clusterMs = Date.now() - t0 - idleMs;

    const taskLogs = readdirSync(dir).filter((f) => /^slurm-\d+_\d\.out$/.test(f));
    const logs = taskLogs.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(taskLogs).toHaveLength(4);
    const experimentDir = join(clusterResults, 'tiny');
    // Each task took its own shard: one run each, every run once.
    const perTask = taskLogs.map((f) => readFileSync(join(dir, f), 'utf8').match(/^done cifar-\S+/gm) ?? []);
    expect(perTask.map((d) => d.length)).toEqual([1, 1, 1, 1]);
    const runDirs = readdirSync(experimentDir).filter((f) =>
      existsSync(join(experimentDir, f, 'manifest.json')),
    );
    expect(runDirs.sort()).toEqual([
      'cifar-basic-d8-s0',
      'cifar-basic-d8-s1',
      'cifar-plain-d8-s0',
      'cifar-plain-d8-s1',
    ]);
    for (const id of runDirs) {
      const manifest: Manifest = JSON.parse(readFileSync(join(experimentDir, id, 'manifest.json'), 'utf8'));
      expect(`${id} ${manifest.status}`).toBe(`${id} completed`);
    }

    // The dependent job (queued by task 0) ran summarize after all tasks.
    const summarizeLog = readdirSync(dir).find((f) => /^slurm-\d+-summarize\.out$/.test(f));
    const summarizeOut = summarizeLog ? readFileSync(join(dir, summarizeLog), 'utf8') : '';
    expect(summarizeOut).toMatch(/4 runs \(4 completed\)/);
    const afterArray = outcomes(experimentDir);

    // summarize again by hand, then the same sweep locally with one worker.
    const summarize = await runCli(['summarize', experimentDir]);
    expect(summarize.code).toBe(0);
    expect(outcomes(experimentDir)).toEqual(afterArray);
    const local = await runCli(
      ['run', file, '--workers', '1', '--results', join(dir, 'local'), ...runFlags],
      { timeoutMs: 300_000 },
    );
    expect(local.code).toBe(0);
    expect(outcomes(join(dir, 'local', 'tiny'))).toEqual(afterArray);
    expect(afterArray).toHaveLength(4);
    console.log(
      `Slurm: node idle after ${idleMs} ms; 4-task array + summarize in ${(clusterMs / 1000).toFixed(1)} s\n${logs.slice(0, 2000)}`,
    );
  }, 600_000);
});
