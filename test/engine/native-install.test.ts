// Why the native backend is missing: native/install.cjs records the cause of a failed build (run here in a
// scratch copy, with a compiler that is absent or cannot find oneDNN), and gradflow turns the record, or
// its absence (the install script never ran), into a sentence naming the fix.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explainMissingAddon, readInstallStatus } from '../../src/engine/backends/native/install-status.js';

const installScript = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native', 'install.cjs');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(os.tmpdir(), 'gradflow-native-install-'));
  copyFileSync(installScript, join(dir, 'install.cjs'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runInstall(cxx: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(dir, 'install.cjs')], {
    env: { ...process.env, CXX: cxx },
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

describe('the install script records why it did not build', () => {
  test('no compiler', () => {
    const r = runInstall(join(dir, 'no-such-compiler'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no C\+\+ compiler/);
    const status = readInstallStatus(dir);
    expect(status?.cause).toBe('no-compiler');
    expect(explainMissingAddon(status, [])).toContain(
      'apt-get install g++ make python3 && npm rebuild gradflow-native',
    );
  });

  test("a compiler that cannot find oneDNN's headers", () => {
    const fake = join(dir, 'fake-cxx');
    writeFileSync(
      fake,
      '#!/bin/sh\necho "<command-line>: fatal error: oneapi/dnnl/dnnl.hpp: No such file or directory" >&2\nexit 1\n',
    );
    chmodSync(fake, 0o755);
    const r = runInstall(fake);
    expect(r.status).toBe(1);
    const status = readInstallStatus(dir);
    expect(status).toEqual({
      cause: 'no-onednn-headers',
      detail:
        "oneDNN's headers are missing (<command-line>: fatal error: oneapi/dnnl/dnnl.hpp: No such file or directory)",
    });
    expect(explainMissingAddon(status, [])).toContain(
      'fix: `apt-get install libdnnl-dev && npm rebuild gradflow-native`',
    );
  });
});

describe('explaining a missing addon', () => {
  test('no record: the install script never ran, and the command that approves and runs it', () => {
    expect(readInstallStatus(dir)).toBeNull();
    const why = explainMissingAddon(null, []);
    expect(why).toMatch(/never built: npm did not run its install script/);
    expect(why).toContain('fix: `npm approve-scripts native && npm rebuild gradflow-native`');
  });

  test('a failed build points at its log; a torn record reads as a failed build', () => {
    expect(explainMissingAddon({ cause: 'build-failed', detail: 'node-gyp failed (exit 1)' }, [])).toBe(
      'the oneDNN addon failed to build: node-gyp failed (exit 1); ' +
        'see the log of `npm rebuild gradflow-native --foreground-scripts`',
    );
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'build', 'install-status.json'), '{"cause": "bui');
    expect(readInstallStatus(dir)?.cause).toBe('build-failed');
  });

  test('a built addon that will not load names the loader error, whatever the record says', () => {
    const why = explainMissingAddon({ cause: 'built', detail: 'built' }, [
      'x.node: libdnnl.so.2: cannot open',
    ]);
    expect(why).toBe(
      'the oneDNN addon was built but failed to load (x.node: libdnnl.so.2: cannot open); fix: `npm rebuild gradflow-native`',
    );
  });
});
