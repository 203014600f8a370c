// A run rebuilds itself: a sweep over a plugin block, then lesion and shatter on its results with no
// flags (each manifest records where its plugin was and what it held); a moved plugin is found with
// --plugin, an edited one is refused by name (exit 2), and editing it changes only the runs that use it.
import { copyFileSync, mkdirSync, readFileSync, renameSync, appendFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Manifest } from '../../src/store/types.js';
import { ensureBuilt, removeTempDirs, runCli, tempDir, writeTinyExperiment } from '../sweep/cli-helper.js';

beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => removeTempDirs());

test('lesion and shatter load each run its plugin; moved and edited plugins are handled by name', async () => {
  const dir = tempDir('plugin-runs');
  mkdirSync(join(dir, 'blocks'));
  const plugin = join(dir, 'blocks', 'resnet-d.ts');
  copyFileSync(resolve('examples/block-variants/resnet-d.ts'), plugin);
  const file = writeTinyExperiment(dir, 'mine', {
    plugins: ['./blocks/resnet-d.ts'],
    sweep: { 'model.block': ['plain', 'resnet-d'] },
    seeds: [0],
  });
  const results = join(dir, 'results');
  const flags = ['--results', results, '--backend', 'wasm', '--threads', '1'];
  const run = await runCli(['run', file, ...flags], { timeoutMs: 300_000 });
  expect(run.code).toBe(0);
  const exp = join(results, 'mine');
  const manifest = (id: string): Manifest => JSON.parse(readFileSync(join(exp, id, 'manifest.json'), 'utf8'));
  expect(manifest('cifar-resnet-d-d8-s0').plugins).toEqual([
    { path: plugin, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
  ]);
  expect(manifest('cifar-plain-d8-s0').plugins).toEqual([]);

  // From another directory, no --plugin: the manifests say where the plugin is.
  const analysis = ['--backend', 'wasm', '--threads', '1'];
  const lesion = await runCli(['lesion', exp, '--examples', '64', ...analysis], {
    cwd: tempDir('elsewhere'),
  });
  expect(lesion.code).toBe(0);
  expect(existsSync(join(exp, 'cifar-resnet-d-d8-s0', 'lesion.csv'))).toBe(true);
  const shatter = await runCli(['shatter', exp, '--points', '16', ...analysis]);
  expect(shatter.code).toBe(0);
  expect(readFileSync(join(exp, 'cifar-resnet-d-d8-s0', 'shatter.csv'), 'utf8')).not.toContain('skipped');

  // Moved: named, and found again with --plugin.
  const moved = join(dir, 'resnet-d.ts');
  renameSync(plugin, moved);
  const lost = await runCli(['lesion', exp, '--force', ...analysis]);
  expect(lost.code).toBe(2);
  expect(lost.stderr).toContain(
    `its net uses plugin ${plugin}, which is not there; pass --plugin <new path of resnet-d.ts>`,
  );
  const found = await runCli(['lesion', exp, '--force', '--examples', '64', '--plugin', moved, ...analysis]);
  expect(found.code).toBe(0);

  // Edited: refused by name; and only the run that uses it is changed for the sweep.
  appendFileSync(moved, '\n// a comment\n');
  const edited = await runCli(['shatter', exp, '--force', '--plugin', moved, ...analysis]);
  expect(edited.code).toBe(2);
  expect(edited.stderr).toMatch(/plugin .*resnet-d\.ts changed since the run trained with it/);
  renameSync(moved, plugin);
  const dry = await runCli(['run', file, '--results', results, '--dry-run']);
  expect(dry.stdout).toMatch(/cifar-plain-d8-s0 +completed/);
  expect(dry.stdout).toMatch(/cifar-resnet-d-d8-s0 +changed: plugins\[0\]\.sha256/);
}, 600_000);
