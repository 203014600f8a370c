// The report in a real headless browser (Debian's chromium via playwright-core): it loads with no
// console errors and no network requests, every chart ends up as an interactive SVG with marks,
// and with JavaScript disabled the pre-rendered SVGs are there to read.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import analyze from '../../src/cli/commands/analyze.js';
import { buildReport } from '../../src/report/build.js';
import { FIGURES } from '../../src/report/figures/index.js';
import { runHandler } from '../costs/run-command.js';
import { removeTempDirs, tempDir, writeFakeRun, writeStandardFixture } from './fake-results.js';

afterAll(removeTempDirs);

// The fixtures have no transfer runs: the report shows the figures that always apply.
// The fixture's layers.csv has statistics no other figure shows, so other-stats shows too.
const SHOWN = FIGURES.filter((f) => f.applies === undefined || f.id === 'other-stats');

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const XSS = '<img src=x onerror=alert(1)>';

let browser: Browser;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt) to run this test`);
  const root = await tempDir('browser');
  const dir = await writeStandardFixture(root);
  // A run whose name and experiment try to inject markup: it must render as text.
  await writeFakeRun(root, { experiment: 'fixture', id: XSS, residual: true, depth: 8, seed: 7 });
  const { out } = await buildReport([dir], { out: join(root, 'report.html') });
  url = pathToFileURL(out).href;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
});

/** Items drawn by vega marks in a chart's SVG. */
function markCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() =>
    Object.fromEntries(
      Array.from(document.querySelectorAll('.chart[data-figure]')).map((chart) => [
        chart.getAttribute('data-figure'),
        chart.querySelectorAll('svg g[class^="mark-"] > path, svg g[class^="mark-"] > text').length,
      ]),
    ),
  );
}

test('with JavaScript: no console errors, no network, every chart interactive with marks', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url);
  await page.waitForFunction(
    (n) => document.querySelectorAll('.chart[data-state="interactive"]').length === n,
    SHOWN.length,
    { timeout: 60_000 },
  );
  const counts = await markCounts(page);
  expect(Object.keys(counts)).toEqual(SHOWN.map((f) => f.id));
  for (const [id, count] of Object.entries(counts))
    expect({ id, marks: count > 0 }).toEqual({ id, marks: true });
  // Each interactive chart replaced its static copy.
  expect(await page.locator('.chart .static').count()).toBe(0);
  // Tooltips: hovering a health event shows vega-tooltip's box with the run's details.
  await page.locator('.chart[data-figure="health"] g.mark-symbol > path').first().hover();
  await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 10_000 });
  expect(await page.locator('#vg-tooltip-element').innerText()).toMatch(/step/);
  // Legend selection: clicking depth 8 in the training curves dims every other depth's lines.
  const curves = page.locator('.chart[data-figure="training-curves"]');
  const opacities = () =>
    curves.evaluate((el) =>
      Array.from(el.querySelectorAll('g.mark-line > path')).map((p) => p.getAttribute('opacity') ?? '1'),
    );
  expect(new Set(await opacities())).toEqual(new Set(['1']));
  await curves.locator('g.role-legend-symbol path').first().click({ force: true });
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('.chart[data-figure="training-curves"] g.mark-line > path')).some(
      (p) => p.getAttribute('opacity') === '0.15',
    ),
  );
  const after = await opacities();
  expect(after.filter((o) => o === '1').length).toBeGreaterThan(0);
  expect(after.filter((o) => o === '0.15').length).toBeGreaterThan(after.filter((o) => o === '1').length);
  // The malicious run name is text, not an element.
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.getByText(XSS, { exact: true }).count()).toBeGreaterThan(0);
  expect(dialogs).toEqual([]);
  expect(problems).toEqual([]);
  expect(requests).toEqual([]);
  await context.close();
});

test('an inline script the page did not hash does not run: an escaping slip stays harmless', async () => {
  const html = readFileSync(fileURLToPath(url), 'utf8');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1];
  expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'( 'sha256-[A-Za-z0-9+/=]+')+;/);
  expect(csp.split('; ').find((d) => d.startsWith('script-src'))).not.toMatch(/unsafe/);
  const slipped = join(dirname(fileURLToPath(url)), 'slipped.html');
  const end = html.lastIndexOf('</body>');
  writeFileSync(
    slipped,
    `${html.slice(0, end)}<script>document.title = "injected"</script>${html.slice(end)}`,
  );
  const context = await browser.newContext();
  const page = await context.newPage();
  const blocked: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) blocked.push(m.text());
  });
  await page.goto(pathToFileURL(slipped).href);
  // The page's own scripts still run (vega with its AST interpreter: no eval), the injected one does not.
  await page.waitForFunction(
    () => document.querySelectorAll('.chart[data-state="interactive"]').length > 0,
    null,
    {
      timeout: 60_000,
    },
  );
  expect(await page.title()).not.toBe('injected');
  expect(blocked.length).toBe(1);
  await context.close();
});

test('with JavaScript off: the pre-rendered SVGs and the findings are visible', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url);
  const counts = await markCounts(page);
  for (const figure of SHOWN) {
    const svg = page.locator(`.chart[data-figure="${figure.id}"] .static > svg`);
    expect(await svg.isVisible()).toBe(true);
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect({ id: figure.id, marks: counts[figure.id] > 0 }).toEqual({ id: figure.id, marks: true });
  }
  expect(await page.locator('.findings li').count()).toBeGreaterThan(3);
  expect(await page.locator('.findings').innerText()).toContain('degradation not established');
  expect(await page.locator('img').count()).toBe(0);
  expect(requests).toEqual([]);
  await context.close();
});

test('the architecture page (gradflow analyze --report) draws every chart interactively too', async () => {
  const file = join(await tempDir('architectures'), 'architectures.html');
  await runHandler(analyze, {
    models: ['vgg16', 'resnet50'],
    report: file,
    batch: 32,
    perLayer: false,
    json: false,
    csv: false,
    time: false,
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.querySelectorAll('.chart .static').length === 0, null, {
    timeout: 60_000,
  });
  const counts = await markCounts(page);
  expect(Object.keys(counts)).toEqual(['bubble', 'share', 'memory', 'accuracy']);
  for (const [id, count] of Object.entries(counts))
    expect({ id, marks: count > 0 }).toEqual({ id, marks: true });
  expect(problems).toEqual([]);
  await context.close();
});
