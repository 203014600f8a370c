// The installed command as a user meets it: help, backend listing, and exit codes for bad input.
import { spawnSync } from 'node:child_process';
import { cliPath } from '../cli.js';

/** The command with `env` over the test's environment. */
const gradflowWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

const gradflow = (...args: string[]) => gradflowWith({ GRADFLOW_BACKEND: '' }, ...args);

interface BackendRow {
  name: string;
  available: boolean;
  selected: boolean;
  detail: string;
}

/** `gradflow backends --json` with `env` set (no backend forced), once it has exited 0. */
function backendsJson(env: NodeJS.ProcessEnv = {}): BackendRow[] {
  const r = gradflowWith({ GRADFLOW_BACKEND: '', ...env }, 'backends', '--json');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as BackendRow[];
}

test('--help lists every command, and each command has its own help with examples', () => {
  const top = gradflow('--help');
  expect(top.status).toBe(0);
  for (const c of [
    'demo',
    'run',
    'train',
    'report',
    'summarize',
    'analyze',
    'blocks',
    'bench',
    'backends',
    'import-weights',
  ]) {
    expect(top.stdout).toContain(`gradflow ${c}`);
    const help = gradflow(c, '--help');
    expect({ c, status: help.status }).toEqual({ c, status: 0 });
    expect(help.stdout).toMatch(/Examples:/);
  }
});

test('backends --json marks exactly one available backend as selected', () => {
  const list = backendsJson();
  expect(list.map((b) => b.name)).toEqual([
    'tensorflow-gpu',
    'webgpu',
    'tensorflow',
    'native',
    'wasm',
    'cpu',
  ]);
  const selected = list.filter((b) => b.selected);
  expect(selected).toHaveLength(1);
  expect(selected[0].available).toBe(true);
  for (const b of list.filter((b) => !b.available)) expect(b.detail.length).toBeGreaterThan(0);
});

test('a CPU WebGPU adapter (lavapipe) is listed and named but never selected over the CPU backends', () => {
  const webgpu = backendsJson().find((b) => b.name === 'webgpu')!;
  expect(webgpu.selected).toBe(false);
  if (webgpu.available) expect(webgpu.detail).toMatch(/on llvmpipe.*never chosen automatically/);
  else expect(webgpu.detail).toMatch(/adapter|not installed/);
  const hidden = backendsJson({ GRADFLOW_NO_WEBGPU: '1' }).find((b) => b.name === 'webgpu')!;
  expect(hidden).toMatchObject({ available: false, detail: expect.stringMatching(/GRADFLOW_NO_WEBGPU/) });
});

test('forcing a backend that cannot load exits 2 and says why', () => {
  const r = gradflowWith({ GRADFLOW_BACKEND: 'tensorflow-gpu' }, 'train', '--steps', '1');
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/backend 'tensorflow-gpu' is not available: .+/);
});

test('an invalid flag value is a clear error with exit code 2, nothing trained', () => {
  const r = gradflow('train', '--norm', 'sometimes', '--out', '/nonexistent/should-not-be-created');
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/model\.norm/);
});

test('with the native addon hidden, selection falls to wasm and backends --json says why', () => {
  const list = backendsJson({ GRADFLOW_NO_NATIVE: '1' });
  const byName = new Map(list.map((b) => [b.name, b]));
  expect(byName.get('native')).toMatchObject({
    available: false,
    selected: false,
    detail: expect.stringMatching(/GRADFLOW_NO_NATIVE/),
  });
  expect(byName.get('wasm')).toMatchObject({ available: true, selected: true });
});

test('a mistyped flag names the nearest option instead of printing the whole help, exit 2', () => {
  const r = gradflow('train', '--plugn', 'x.ts', '--stpes', '3', '--zzzzzz');
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(
    'gradflow train: unknown option --plugn; did you mean --plugin?\n' +
      'gradflow train: unknown option --stpes; did you mean --steps?\n' +
      'gradflow train: unknown option --zzzzzz\n' +
      '(gradflow train --help lists its options)\n',
  );
  expect(r.stdout).toBe('');
});
