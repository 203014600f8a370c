// Which code and machine produced a result: package and library versions, the git commit of gradflow,
// and the CPU (wall times and the kernels a backend picks depend on it).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { Machine } from './types.js';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Provenance {
  versions: Record<string, string>;
  gitCommit: string | null;
  machine: Machine;
}

let cached: Provenance | null = null;

function machine(): Machine {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() || 'unknown',
    cores: all.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
}

export function provenance(): Provenance {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  let gitCommit: string | null = null;
  try {
    gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    if (dirty) gitCommit += '-dirty';
  } catch {
    gitCommit = null; // installed from a tarball, or git missing
  }
  cached = {
    versions: { gradflow: pkg.version, tfjs: tf.version.tfjs ?? tf.version_core, node: process.version },
    gitCommit,
    machine: machine(),
  };
  return cached;
}
