// A real one-node Slurm cluster for tests, from Debian's packages (munge, slurmctld, slurmd,
// slurm-client), confined to a temp directory: its own munge key and socket, its own ports and
// state. Every daemon runs in the foreground as a child of this process, so stop() ends exactly
// the processes start() began, by PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

export function slurmMissing(): string | undefined {
  for (const tool of ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo']) {
    if (spawnSync('which', [tool]).status !== 0)
      return `${tool} is not installed (apt-get install slurmctld slurmd slurm-client munge)`;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SlurmCluster {
  dir: string;
  /** Environment for Slurm client commands (SLURM_CONF points at this cluster). */
  env: NodeJS.ProcessEnv;
  /** Runs a client command (sbatch, squeue, ...) against this cluster; throws on failure. */
  client(command: string, args: string[], cwd?: string): string;
  /** Waits until no job of this cluster is pending or running (including jobs that jobs submitted). */
  waitForAllJobs(timeoutMs: number): Promise<void>;
  /** Daemon logs, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export async function startSlurmCluster(): Promise<SlurmCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'gradflow-slurm-'));
  chmodSync(dir, 0o755);
  const mungeDir = join(dir, 'munge');
  const logDir = join(dir, 'log');
  for (const d of [mungeDir, logDir, join(dir, 'ctld'), join(dir, 'd')]) mkdirSync(d, { recursive: true });
  chmodSync(mungeDir, 0o755); // munge clients (slurmstepd, sbatch) must reach the socket
  const key = join(mungeDir, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o600 });
  const socket = join(mungeDir, 'munge.socket');

  const host = hostname().split('.')[0];
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=gradflowtest',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      'SlurmUser=root',
      'SlurmdUser=root',
      `StateSaveLocation=${join(dir, 'ctld')}`,
      `SlurmdSpoolDir=${join(dir, 'd')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(logDir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(logDir, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'AccountingStorageType=accounting_storage/none',
      'JobAcctGatherType=jobacct_gather/none',
      'JobCompType=jobcomp/none',
      'MpiDefault=none',
      'ReturnToService=2',
      'SchedulerType=sched/backfill',
      'SchedulerParameters=sched_interval=1',
      'MinJobAge=600',
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} State=UNKNOWN`,
      'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };

  const daemons: { name: string; child: ChildProcess; exited: Promise<void> }[] = [];
  const start = (name: string, command: string, args: string[]): void => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    daemons.push({ name, child, exited });
  };

  const client = (command: string, args: string[], cwd?: string): string => {
    const result = spawnSync(command, args, { env, cwd, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error}`);
    return result.stdout;
  };

  const logs = (): string =>
    ['slurmctld.log', 'slurmd.log', 'munged.log']
      .map((f) => join(logDir, f))
      .filter(existsSync)
      .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-30).join('\n')}`)
      .join('\n');

  const stop = async (): Promise<void> => {
    // Cancel this cluster's jobs first so no job step outlives its daemons.
    spawnSync('scancel', ['--full', '--user', 'root'], { env });
    await sleep(300);
    for (const { child, exited } of [...daemons].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    start('munged', 'munged', [
      '--foreground',
      '--force',
      `--key-file=${key}`,
      `--socket=${socket}`,
      `--pid-file=${join(mungeDir, 'munged.pid')}`,
      `--log-file=${join(logDir, 'munged.log')}`,
      `--seed-file=${join(mungeDir, 'munged.seed')}`,
    ]);
    for (let i = 0; i < 50 && !existsSync(socket); i++) await sleep(100);
    if (!existsSync(socket)) throw new Error('munged did not create its socket');
    start('slurmctld', 'slurmctld', ['-D', '-i', '-f', conf]);
    start('slurmd', 'slurmd', ['-D', '-f', conf, '-N', host]);

    const deadline = Date.now() + 30_000;
    for (;;) {
      const state = spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8' }).stdout?.trim();
      if (state === 'idle') break;
      if (Date.now() > deadline)
        throw new Error(`the Slurm node is not idle after 30 s (state: ${state})\n${logs()}`);
      await sleep(200);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    dir,
    env,
    client,
    logs,
    stop,
    async waitForAllJobs(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const queued = client('squeue', ['-h', '-o', '%i %j %T %r']).trim();
        if (queued === '') return;
        if (Date.now() > deadline)
          throw new Error(`jobs still queued after ${timeoutMs} ms:\n${queued}\n${logs()}`);
        await sleep(500);
      }
    },
  };
}
