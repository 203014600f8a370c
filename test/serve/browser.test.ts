// gradflow serve in a real headless browser (Debian's chromium via playwright-core) over a real
// sweep running in the background: the page, opened once, sees runs go from running to completed
// and new points appear in the training curves, with no reload and no page error. The sweep is
// paused (SIGSTOP to its process group) from its first metrics row until the page has drawn that
// partial state, so "new points appear" does not depend on how fast the runs are next to the page.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { removeTempDirs, tempDir } from '../report/fake-results.js';

const CHROMIUM = '/usr/bin/chromium';
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'main.js');

let browser: Browser;
let server: RunningServer;
let sweep: ChildProcess;
let sweepOutput = '';
let resultsDir: string;

/** Sends a signal to the sweep and the workers it spawned (its own process group). */
function signalSweep(signal: NodeJS.Signals): void {
  try {
    process.kill(-sweep.pid!, signal);
  } catch {
    // the group has already exited
  }
}

/** Resolves once some run of the sweep has written a metrics row (beyond the CSV header). */
async function firstMetricsRow(deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const runs = await readdir(resultsDir).catch(() => [] as string[]);
    for (const run of runs) {
      const text = await readFile(join(resultsDir, run, 'metrics.csv'), 'utf8').catch(() => '');
      if (text.trim().split('\n').length >= 2) return;
    }
    await sleep(20);
  }
  throw new Error(`no metrics row in ${resultsDir} after ${deadlineMs} ms; sweep said:\n${sweepOutput}`);
}

const EXPERIMENT = {
  name: 'live',
  description: 'two tiny runs, one after the other, for the live view',
  base: {
    data: { name: 'synthetic', size: 12, channels: 1, trainSize: 512, testSize: 128 },
    model: { family: 'cifar', width: 8, norm: 'batch', init: 'he', depth: 8 },
    train: { optimizer: 'sgd', lr: 0.05, momentum: 0.9, batchSize: 64, steps: 240 },
    probe: { every: 40 },
  },
  sweep: { 'model.block': ['plain', 'basic'] },
};

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt) to run this test`);
  const root = await tempDir('serve-browser');
  const file = join(root, 'live.json');
  await writeFile(file, JSON.stringify(EXPERIMENT));
  resultsDir = join(root, 'results', 'live');
  server = await startServer({
    dirs: [resultsDir],
    port: 0,
    host: '127.0.0.1',
    interval: 0.3,
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  sweep = spawn(
    process.execPath,
    [cli, 'run', file, '--results', join(root, 'results'), '--workers', '1', '--threads', '1'],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  sweep.stdout!.on('data', (b: Buffer) => (sweepOutput += b.toString()));
  sweep.stderr!.on('data', (b: Buffer) => (sweepOutput += b.toString()));
});

afterAll(async () => {
  if (sweep) {
    signalSweep('SIGCONT');
    signalSweep('SIGTERM');
  }
  await browser?.close();
  await server?.close();
  await removeTempDirs();
});

test('the page fills in as the sweep runs, without a reload', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  let loads = 0;
  page.on('load', () => (loads += 1));
  await page.goto(server.url);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  await firstMetricsRow(180_000);
  signalSweep('SIGSTOP');
  await page.waitForSelector('tr[data-status="running"]', { timeout: 60_000 });
  const chart = '.chart[data-figure="training-curves"][data-rows]';
  await page.waitForSelector(chart, { timeout: 60_000 });
  const rowsEarly = Number(await page.getAttribute(chart, 'data-rows'));
  expect(rowsEarly).toBeGreaterThan(0);
  signalSweep('SIGCONT');

  await page.waitForFunction(
    () => {
      const rows = Array.from(document.querySelectorAll('#runs-body tr'));
      return rows.length === 2 && rows.every((r) => r.getAttribute('data-status') === 'completed');
    },
    undefined,
    { timeout: 300_000 },
  );
  await page.waitForFunction(
    ([selector, before]) => Number(document.querySelector(selector)?.getAttribute('data-rows')) > before,
    [chart, rowsEarly] as const,
    { timeout: 60_000 },
  );
  const findings = await page.locator('#findings').textContent();
  expect(findings?.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(loads).toBe(1);
  expect(problems).toEqual([]);
  const outside = await page.request.get(new URL('/files/0/%2e%2e/%2e%2e/live.json', server.url).href);
  expect(outside.status()).toBe(404);
  expect(sweepOutput).toMatch(/done cifar-basic/);
}, 600_000);
