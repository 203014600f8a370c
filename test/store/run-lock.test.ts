// One writer per run: the lock names its holder, refuses a second taker while the holder lives,
// and is taken over when the holder is gone (dead pid on this host, or no heartbeat from another).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { removeTempDirs, tempDir } from '../data/helpers.js';
import {
  acquireRunLock,
  isLock,
  lockHolder,
  lockPath,
  STALE_MS,
  type LockHolder,
} from '../../src/store/run-lock.js';

const temp = (): string => tempDir('lock');
afterAll(removeTempDirs);

/** A pid that is certainly not alive: a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

const writeHolder = (dir: string, holder: Partial<LockHolder>): void =>
  writeFileSync(lockPath(dir), JSON.stringify({ token: 'theirs', since: 'then', ...holder }));

describe('run lock', () => {
  it('is taken once; a second taker gets the holder; release frees it', () => {
    const dir = temp();
    const first = acquireRunLock(dir, () => {});
    expect(isLock(first)).toBe(true);
    const second = acquireRunLock(dir, () => {});
    expect(isLock(second)).toBe(false);
    expect(second).toMatchObject({ pid: process.pid, host: hostname() });
    expect(lockHolder(dir)?.pid).toBe(process.pid);
    if (isLock(first)) first.release();
    expect(existsSync(lockPath(dir))).toBe(false);
    expect(lockHolder(dir)).toBeNull();
  });

  it('takes over a lock whose holder died on this host', () => {
    const dir = temp();
    writeHolder(dir, { pid: deadPid(), host: hostname() });
    expect(lockHolder(dir)).toBeNull();
    const lock = acquireRunLock(dir, () => {});
    expect(isLock(lock)).toBe(true);
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8')).pid).toBe(process.pid);
    if (isLock(lock)) lock.release();
  });

  it('respects another host until its heartbeat is older than STALE_MS', () => {
    const dir = temp();
    writeHolder(dir, { pid: 1, host: 'node-17' });
    const held = acquireRunLock(dir, () => {});
    expect(held).toMatchObject({ host: 'node-17' });
    const old = new Date(Date.now() - STALE_MS - 1000);
    utimesSync(lockPath(dir), old, old);
    const lock = acquireRunLock(dir, () => {});
    expect(isLock(lock)).toBe(true);
    if (isLock(lock)) lock.release();
  });

  it('does not remove a lock it no longer holds', () => {
    const dir = temp();
    const lock = acquireRunLock(dir, () => {});
    writeHolder(dir, { pid: process.pid, host: hostname(), token: 'someone-else' });
    if (isLock(lock)) lock.release();
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8')).token).toBe('someone-else');
  });
});
