// One writer per run: `<run>/.lock` is created exclusively (O_EXCL) and names its holder (pid,
// host, a random token). A lock whose holder is gone is taken over:
// - on the holder's host, when its pid is no longer alive;
// - from any host (Slurm nodes sharing a filesystem), when its heartbeat (the file's mtime,
//   refreshed every HEARTBEAT_MS) is older than STALE_MS.
// Taking over renames the stale file aside first and checks that it was the one judged stale, so
// two processes breaking the same lock cannot both win. The holder checks at each heartbeat that
// the file still carries its token; if not, `onLost` tells it to stop writing.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFully } from '../ground/atomic.js';

export const HEARTBEAT_MS = 15_000;
export const STALE_MS = 10 * 60_000;

export interface LockHolder {
  pid: number;
  host: string;
  token: string;
  since: string; // ISO time the lock was taken
  command?: string;
}

export interface RunLock {
  path: string;
  holder: LockHolder;
  release(): void;
}

export const lockPath = (runDir: string): string => join(runDir, '.lock');

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} since ${h.since}`;
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : null;
  } catch {
    return null; // absent, or being written this instant
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

function ageMs(path: string): number | null {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The live holder of a run's lock, or null when the run is free (no lock, or a stale one). */
export function lockHolder(runDir: string): LockHolder | null {
  const path = lockPath(runDir);
  const age = ageMs(path);
  if (age === null) return null;
  const holder = readHolder(path);
  if (!holder) return age < HEARTBEAT_MS ? { pid: -1, host: '?', token: '', since: 'now' } : null;
  if (age > STALE_MS) return null;
  if (holder.host === hostname() && !pidAlive(holder.pid)) return null;
  return holder;
}

/** Moves a stale lock aside; restores it when someone else's fresh lock was caught instead. */
function breakStale(path: string, judged: LockHolder | null): void {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // another process broke it first
  }
  const caught = readHolder(aside);
  if (judged && caught && caught.token !== judged.token) {
    try {
      linkSync(aside, path); // put the fresh lock back; fails only if yet another lock exists
    } catch {
      /* its holder sees the loss at its next heartbeat and stops */
    }
  }
  rmSync(aside, { force: true });
}

/**
 * Takes the run's lock, or returns the live holder. `onLost` runs if the lock is taken away
 * (only possible after this process stalled for STALE_MS).
 */
export function acquireRunLock(
  runDir: string,
  onLost: (by: LockHolder | null) => void,
): RunLock | LockHolder {
  const path = lockPath(runDir);
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(8).toString('hex'),
    since: new Date().toISOString(),
    command: process.argv.slice(1, 3).join(' '),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const live = lockHolder(runDir);
      if (live) return live;
      breakStale(path, readHolder(path));
      continue;
    }
    try {
      writeFully(fd, Buffer.from(JSON.stringify(me) + '\n'), path);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    let released = false;
    const heartbeat = setInterval(() => {
      const now = readHolder(path);
      if (now?.token !== me.token) {
        clearInterval(heartbeat);
        released = true;
        onLost(now);
        return;
      }
      const t = new Date();
      try {
        utimesSync(path, t, t);
      } catch {
        /* checked again at the next beat */
      }
    }, HEARTBEAT_MS);
    heartbeat.unref();
    return {
      path,
      holder: me,
      release: () => {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        if (readHolder(path)?.token === me.token) rmSync(path, { force: true });
      },
    };
  }
  throw new Error(`${path}: could not take the run's lock after 5 attempts (other processes keep taking it)`);
}

export const isLock = (x: RunLock | LockHolder): x is RunLock => 'release' in x;
