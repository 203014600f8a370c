// The installed command as a user meets it: help, backend listing, and exit codes for bad input.
import { spawnSync } from 'node:child_process';
import { cliPath } from '../cli.js';

const gradflow = (...args: string[]) =>
  spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GRADFLOW_BACKEND: '' },
  });

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
  const r = gradflow('backends', '--json');
  expect(r.status).toBe(0);
  const list = JSON.parse(r.stdout) as {
    name: string;
    available: boolean;
    selected: boolean;
    detail: string;
  }[];
  expect(list.map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu']);
  const selected = list.filter((b) => b.selected);
  expect(selected).toHaveLength(1);
  expect(selected[0].available).toBe(true);
  for (const b of list.filter((b) => !b.available)) expect(b.detail.length).toBeGreaterThan(0);
});

test('forcing a backend that cannot load exits 2 and says why', () => {
  const r = spawnSync(process.execPath, [cliPath, 'train', '--steps', '1'], {
    encoding: 'utf8',
    env: { ...process.env, GRADFLOW_BACKEND: 'tensorflow-gpu' },
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/backend 'tensorflow-gpu' is not available: .+/);
});

test('an invalid flag value is a clear error with exit code 2, nothing trained', () => {
  const r = gradflow('train', '--norm', 'sometimes', '--out', '/nonexistent/should-not-be-created');
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/model\.norm/);
});

test('with the native addon hidden, selection falls to wasm and backends --json says why', () => {
  const r = spawnSync(process.execPath, [cliPath, 'backends', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, GRADFLOW_BACKEND: '', GRADFLOW_NO_NATIVE: '1' },
  });
  expect(r.status).toBe(0);
  const list = JSON.parse(r.stdout) as {
    name: string;
    available: boolean;
    selected: boolean;
    detail: string;
  }[];
  const byName = new Map(list.map((b) => [b.name, b]));
  expect(byName.get('native')).toMatchObject({
    available: false,
    selected: false,
    detail: expect.stringMatching(/GRADFLOW_NO_NATIVE/),
  });
  expect(byName.get('wasm')).toMatchObject({ available: true, selected: true });
});
