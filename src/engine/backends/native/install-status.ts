// Why the oneDNN addon is missing, and the one command that fixes it. native/install.cjs records the
// outcome of its build in build/install-status.json; no record at all means the install script never
// ran, which is what npm 12 does to a dependency that package.json's allowScripts does not allow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type InstallCause = 'built' | 'no-node-headers' | 'no-compiler' | 'no-onednn-headers' | 'build-failed';

export interface InstallStatus {
  cause: InstallCause;
  detail: string;
}

const REBUILD = 'npm rebuild gradflow-native';

/** The install record of the addon package at `packageDir`, or null when its install script never ran. */
export function readInstallStatus(packageDir: string): InstallStatus | null {
  let text: string;
  try {
    text = readFileSync(join(packageDir, 'build', 'install-status.json'), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<InstallStatus>;
    if (typeof parsed.cause === 'string' && typeof parsed.detail === 'string') {
      return { cause: parsed.cause, detail: parsed.detail };
    }
  } catch {
    // a torn record reads as a failed build below
  }
  return { cause: 'build-failed', detail: 'its install record is unreadable' };
}

/**
 * One sentence for `gradflow backends` and the fallback notice: what stopped the addon and the command
 * that fixes it. `loadErrors` are the messages of a built addon that would not load (a missing
 * libdnnl.so, an ABI mismatch), which the install record cannot know about.
 */
export function explainMissingAddon(status: InstallStatus | null, loadErrors: string[]): string {
  if (loadErrors.length > 0) {
    return `the oneDNN addon was built but failed to load (${loadErrors.join('; ')}); fix: \`${REBUILD}\``;
  }
  if (status === null) {
    return (
      "the oneDNN addon was never built: npm did not run its install script (npm 12 blocks dependencies' " +
      "install scripts unless package.json's allowScripts allows them; or --ignore-scripts was set); " +
      `fix: \`npm approve-scripts native && ${REBUILD}\``
    );
  }
  switch (status.cause) {
    case 'no-onednn-headers':
      return `the oneDNN addon was not built: ${status.detail}; fix: \`apt-get install libdnnl-dev && ${REBUILD}\``;
    case 'no-compiler':
      return `the oneDNN addon was not built: ${status.detail}; fix: \`apt-get install g++ make python3 && ${REBUILD}\``;
    case 'no-node-headers':
      return (
        `the oneDNN addon was not built: ${status.detail}; ` +
        `fix: \`npm config set nodedir <a Node prefix with include/node> && ${REBUILD}\``
      );
    case 'build-failed':
      return `the oneDNN addon failed to build: ${status.detail}; see the log of \`${REBUILD} --foreground-scripts\``;
    case 'built':
      return `the oneDNN addon was built but its file is gone; fix: \`${REBUILD}\``;
  }
}
