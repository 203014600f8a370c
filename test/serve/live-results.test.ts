// The live view reads files as they grow: whole lines only, a torn line kept for the next read, a
// replaced file read again; and after the last poll its data is exactly what `gradflow report` loads.
import { appendFile, cp, readdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_STATS } from '../../src/report/figures/index.js';
import { loadResults } from '../../src/report/load.js';
import { GrowingFile } from '../../src/serve/growing-file.js';
import { LiveResults } from '../../src/serve/live-results.js';
import { LiveView } from '../../src/serve/live-view.js';
import { removeTempDirs, tempDir, writeStandardFixture } from '../report/fake-results.js';

afterAll(removeTempDirs);

test('a growing file is read in whole lines, from where the last read stopped', async () => {
  const path = join(await tempDir('grow'), 'metrics.csv');
  const file = new GrowingFile(path);
  expect(await file.read()).toBeNull();
  await writeFile(path, 'step,value\n1,0.5\n2,0.');
  expect(await file.read()).toEqual({ text: 'step,value\n1,0.5\n', restarted: false });
  expect(await file.read()).toEqual({ text: '', restarted: false });
  await appendFile(path, '25\n3,0.125\n');
  expect(await file.read()).toEqual({ text: '2,0.25\n3,0.125\n', restarted: false });
  // An atomic rewrite (a new file renamed over it) and a truncation both start it over.
  await writeFile(`${path}.tmp`, 'step,value\n9,1\n');
  await rename(`${path}.tmp`, path);
  expect(await file.read()).toEqual({ text: 'step,value\n9,1\n', restarted: true });
  await truncate(path, 11);
  expect(await file.read()).toEqual({ text: 'step,value\n', restarted: true });
  await rm(path);
  expect(await file.read()).toEqual({ text: '', restarted: true });
  expect(await file.read()).toBeNull();
});

test('fed a sweep piece by piece, cut mid-line, the live data ends equal to the report loader', async () => {
  const source = await writeStandardFixture(await tempDir('live-src'));
  const liveRoot = join(await tempDir('live'), 'fixture');
  const live = new LiveResults([liveRoot], { stats: REPORT_STATS });
  expect((await live.poll()).runs).toBe(true); // the note that it does not exist yet
  expect(live.data().notes.join()).toMatch(/does not exist yet/);

  const runs = (await readdir(source, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  await cp(source, liveRoot, { recursive: true });
  const cut: Record<string, string> = {};
  for (const run of runs) {
    for (const file of ['metrics.csv', 'layers.csv']) {
      const path = join(liveRoot, run, file);
      if (!existsSync(path)) continue;
      const text = await readFile(path, 'utf8');
      cut[path] = text;
      await writeFile(path, text.slice(0, Math.floor(text.length / 3))); // mid-line, mostly
    }
  }
  const first = await live.poll();
  expect(first.rows.has('metrics') && first.rows.has('layers')).toBe(true);
  const partial = live.data().metrics.length;
  for (const [path, text] of Object.entries(cut))
    await writeFile(path, text.slice(0, Math.floor((2 * text.length) / 3)));
  await live.poll();
  const more = live.data().metrics.length;
  expect(more).toBeGreaterThan(partial);
  for (const [path, text] of Object.entries(cut))
    await appendFile(path, text.slice(Math.floor((2 * text.length) / 3)));
  const last = await live.poll();
  expect(last.rows.has('metrics')).toBe(true);
  expect((await live.poll()).rows.size).toBe(0); // nothing new: nothing changed

  const loaded = await loadResults([liveRoot], { stats: REPORT_STATS });
  const data = live.data();
  const byRun = (rows: { run: string }[]) => [...rows].sort((a, b) => a.run.localeCompare(b.run));
  expect(data.runs.map((r) => r.run).sort()).toEqual(loaded.runs.map((r) => r.run).sort());
  expect(byRun(data.metrics)).toEqual(byRun(loaded.metrics));
  expect(byRun(data.layers)).toEqual(byRun(loaded.layers));
  expect(data.metrics.length).toBeGreaterThan(more);
});

test('the live view sends a figure again only when its rows changed, and marks findings provisional', async () => {
  const root = await writeStandardFixture(await tempDir('view'));
  const view = new LiveView(new LiveResults([root], { stats: REPORT_STATS }), 'live');
  const first = (await view.refresh())!;
  expect(Object.keys(first.specs!).length).toBe(first.figures!.length);
  expect(await view.refresh()).toBeNull();
  // New rows of metrics.csv in one run: the figures that read metrics (and only those) come again.
  const dirs = (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const whole = async (d: string) =>
    existsSync(join(root, d, 'manifest.json')) &&
    (await readFile(join(root, d, 'metrics.csv'), 'utf8').catch(() => '')).endsWith('\n');
  const run = (await Promise.all(dirs.map(async (d) => ((await whole(d)) ? d : '')))).find(Boolean)!;
  await appendFile(join(root, run, 'metrics.csv'), '100000,99,train,error,0.5\n');
  const second = (await view.refresh())!;
  expect(Object.keys(second.specs ?? {})).toContain('training-curves');
  expect(Object.keys(second.specs ?? {})).not.toContain('grad-norm-profile');
  // A run still training: the findings over its setting say so.
  const manifestPath = join(root, run, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  await writeFile(manifestPath, JSON.stringify({ ...manifest, status: 'running', final: undefined }));
  const third = (await view.refresh())!;
  expect(third.runs!.find((r) => r.run === run)!.status).toBe('running');
  expect(third.findings!.some((f) => f.provisional?.includes(run))).toBe(true);
});
