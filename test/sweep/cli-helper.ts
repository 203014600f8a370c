// Spawning the built CLI from tests: jest runs src/ through SWC, but `gradflow run` starts its
// workers from dist/, so these tests build dist/ first (once, under a lock, when it is stale).
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = (): string => process.env.GRADFLOW_CLI ?? join(repoRoot, 'dist', 'cli', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds dist/ when stale, and checks the CLI knows the sweep commands. */
export function ensureBuilt(): void {
  buildIfStale();
  const help = spawnSync(process.execPath, [cliPath(), 'run', '--help'], { encoding: 'utf8' });
  if (help.status !== 0 || !/--shard/.test(help.stdout)) {
    throw new Error(
      `${cliPath()} has no \`run\` command: register run and summarize (src/cli/commands/) in src/cli/commands/index.ts`,
    );
  }
}

/** Builds dist/ with tsc when any source is newer than the built CLI. */
function buildIfStale(): void {
  if (process.env.GRADFLOW_CLI) return;
  const lock = join(tmpdir(), 'gradflow-dist-build.lock');
  const stale = () =>
    !existsSync(cliPath()) || statSync(cliPath()).mtimeMs < newestMtime(join(repoRoot, 'src'));
  for (let waited = 0; stale(); waited += 200) {
    try {
      mkdirSync(lock);
    } catch {
      if (waited > 180_000) throw new Error(`${lock} held for 3 minutes; remove it if no build is running`);
      sleepSync(200); // another test file is building
      continue;
    }
    try {
      // tsc emits even when files elsewhere in the tree fail to type-check; the CLI is what matters.
      const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      if (!existsSync(cliPath())) throw new Error(`build failed:\n${result.stdout}${result.stderr}`);
      // Touch the CLI: tsc rewrites only what changed, and the check above looks at this file.
      const now = new Date();
      utimesSync(cliPath(), now, now);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    return;
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(process.execPath, [cliPath(), ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gradflow ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 120_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveResult({ code, signal, stdout, stderr });
    });
  });
}

const tempDirs: string[] = [];

/** A fresh directory under the OS temp dir, removed by removeTempDirs (call it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gradflow-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A tiny experiment (seconds per run on the cpu backend) written to `dir`. */
export function writeTinyExperiment(dir: string, name: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, `${name}.json`);
  const experiment = {
    name,
    base: {
      data: { name: 'synthetic', size: 8, channels: 1, trainSize: 256, testSize: 64 },
      model: { family: 'cifar', depth: 8, width: 4 },
      train: { steps: 5, batchSize: 32, lr: 0.05 },
      probe: { every: 5 },
    },
    sweep: { 'model.block': ['plain', 'basic'] },
    seeds: [0, 1],
    ...extra,
  };
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  return file;
}
