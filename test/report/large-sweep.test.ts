// The size target: 40 runs x 100 probe steps x 110 layers builds in under a minute and
// the page stays under ~10 MB (figures thin their data and say so).
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildReport } from '../../src/report/build.js';
import { removeTempDirs, tempDir, type FakeRun, writeFakeRun } from './fake-results.js';

afterAll(removeTempDirs);

test('a 40-run sweep of depth-110 nets with 100 probes builds in < 60 s of CPU into < 10 MB', async () => {
  const root = await tempDir('large');
  try {
    // 100 probes (steps 0..9900) x 110 layers x 7 stats = 77k layers.csv rows a run, 3.08M in all.
    // Seed 0 of each setting is generated; the other seeds copy its layers.csv to keep the test fast.
    const base = {
      experiment: 'large',
      depth: 110,
      steps: 9900,
      probeEvery: 100,
      logEvery: 50,
      evalEvery: 500,
    };
    for (const norm of ['batch', 'none'] as const) {
      for (const residual of [false, true]) {
        const setting: FakeRun = { ...base, norm, residual, seed: 0, fastLayers: true };
        const first = await writeFakeRun(root, setting);
        for (let seed = 1; seed < 10; seed++) {
          await writeFakeRun(root, { ...setting, seed, copyLayersFrom: join(first, 'layers.csv') });
        }
      }
    }
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    const result = await buildReport([join(root, 'large')], { out: join(root, 'large.html') });
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const wallSeconds = (performance.now() - wallStart) / 1000;
    console.log(
      `large sweep (40 runs x 100 probes x 110 layers): ${(result.bytes / 1e6).toFixed(2)} MB, ` +
        `built in ${wallSeconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU`,
    );
    expect(result.runs).toBe(40);
    // CPU time, not wall time: the test machine is shared and often oversubscribed.
    expect(cpuSeconds).toBeLessThan(60);
    expect(result.bytes).toBeLessThan(10e6);
    // The heatmap and update-ratio figures had to thin their data, and say so on the figure.
    const html = await readFile(result.out, 'utf8');
    expect(html.includes('40 of 40 runs thinned for size')).toBe(true);
    expect(html.includes('at most 12 layers a net, evenly spaced in depth')).toBe(true);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}, 300_000);
