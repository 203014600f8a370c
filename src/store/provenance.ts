// Which code produced a result: package and library versions and the git commit of gradflow.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let cached: { versions: Record<string, string>; gitCommit: string | null } | null = null;

export function provenance(): { versions: Record<string, string>; gitCommit: string | null } {
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
  };
  return cached;
}
