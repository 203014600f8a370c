import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compile } from 'vega-lite';
import { buildReport, safeFileName } from '../../src/report/build.js';
import { FIGURES } from '../../src/report/figures/index.js';
import { escapeHtml, jsonForScript } from '../../src/report/html.js';
import { removeTempDirs, tempDir, writeFakeRun, writeStandardFixture } from './fake-results.js';

afterAll(removeTempDirs);

// The fixtures have no transfer runs: the report shows the figures that always apply.
// The fixture's layers.csv has statistics no other figure shows, so other-stats shows too.
const SHOWN = FIGURES.filter((f) => f.applies === undefined || f.id === 'other-stats');

const XSS = '<img src=x onerror=alert(1)>';
const XSS_RUN = '</script><script>alert(2)</script><!--';

let root: string;
let fixture: string;

beforeAll(async () => {
  root = await tempDir('build');
  fixture = await writeStandardFixture(root);
});

test('escaping: HTML text and JSON inside <script>', () => {
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const value = { name: XSS_RUN, line: '\u2028' };
  const json = jsonForScript(value);
  expect(json).not.toMatch(/[<>\u2028]/);
  expect(JSON.parse(json)).toEqual(value);
  expect(safeFileName(XSS)).toBe('_img_src_x_onerror_alert_1__');
});

test('writes one offline HTML page with every figure, pre-rendered, and the libraries inlined', async () => {
  const out = join(root, 'reports', 'fixture.html');
  const result = await buildReport([fixture], { out });
  expect(result.out).toBe(out);
  const html = await readFile(out, 'utf8');
  expect(result.bytes).toBe(Buffer.byteLength(html));
  expect(result.runs).toBe(26);
  for (const figure of SHOWN) {
    expect(html).toMatch(
      new RegExp(
        `<div class="chart" data-figure="${figure.id}" data-state="static"><div class="static"><svg`,
      ),
    );
  }
  for (const lib of ['vega', 'vega-lite', 'vega-embed'])
    expect(html).toMatch(new RegExp(`<script data-library="${lib}@\\d`));
  // Nothing that could load from the network: no src/href to a URL, and a CSP forbidding it.
  expect(/\s(src|href)="(https?:)?\/\//.test(html)).toBe(false);
  expect(html).toContain(`default-src 'none'`);
  // Findings and loading notes are on the page.
  expect(html).toContain('degradation not established'); // the fixture's two seeds a side cannot establish it
  expect(html).toContain('half-written: has results CSVs but no manifest.json');
  console.log(
    `fixture report: ${result.runs} runs, ${(result.bytes / 1e6).toFixed(2)} MB, ${(result.millis / 1000).toFixed(1)} s`,
  );
});

test('the default output is reports/<experiment>.html', async () => {
  const cwd = process.cwd();
  const work = await tempDir('build-cwd');
  process.chdir(work);
  try {
    const result = await buildReport([join(fixture, 'cifar-plain-batch-d8-s0')]);
    expect(result.out).toBe(join(work, 'reports', 'fixture.html'));
  } finally {
    process.chdir(cwd);
  }
});

test('a malicious experiment or run name renders as text, never as markup or script', async () => {
  const xssRoot = await tempDir('xss');
  await writeFakeRun(xssRoot, { experiment: XSS, id: 'xss-run', residual: false, depth: 8, seed: 0 });
  await writeFakeRun(xssRoot, {
    experiment: XSS,
    id: XSS_RUN.replace(/\//g, '|'),
    residual: true,
    depth: 8,
    seed: 0,
  });
  const out = join(xssRoot, 'xss.html');
  await buildReport([join(xssRoot, XSS)], { out });
  const html = await readFile(out, 'utf8');
  // The inlined libraries contain markup templates of their own; judge the page without them.
  const libraries = html.match(/<script data-library="[^"]*">[\s\S]*?<\/script>/g) ?? [];
  expect(libraries).toHaveLength(4); // vega, vega-interpreter, vega-lite, vega-embed
  let page = html;
  for (const lib of libraries) page = page.replace(lib, '');
  expect(page.includes('<img')).toBe(false);
  expect(page.includes('alert(2)</script>')).toBe(false);
  // Only gradflow's own script elements remain: the specs JSON and the boot script.
  expect(page.match(/<script/g)).toHaveLength(2);
  expect(page.includes(`<title>gradflow report: ${escapeHtml(XSS)}</title>`)).toBe(true);
  expect(page.includes('&lt;|script&gt;&lt;script&gt;alert(2)')).toBe(true); // the run name, as SVG text
});

test('--png writes one PNG per figure and --specs one self-contained Vega-Lite spec per figure', async () => {
  const pngDir = join(root, 'png');
  const specDir = join(root, 'specs');
  const result = await buildReport([fixture], { out: join(root, 'r.html'), png: pngDir, specs: specDir });
  expect((await readdir(pngDir)).sort()).toEqual(SHOWN.map((f) => `${f.id}.png`).sort());
  for (const path of result.pngs) {
    const png = await readFile(path);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThan(300); // width from the IHDR chunk
    expect(png.length).toBeGreaterThan(10_000); // text and marks drawn, not a blank page
  }
  expect((await readdir(specDir)).sort()).toEqual(SHOWN.map((f) => `${f.id}.vl.json`).sort());
  for (const path of result.specs) {
    const spec = JSON.parse(await readFile(path, 'utf8'));
    expect(spec.$schema).toMatch(/vega-lite\/v6/);
    expect(spec.data.values.length).toBeGreaterThan(0);
    expect(() => compile(spec)).not.toThrow();
  }
});

test('no runs is an error the user can fix, naming the directory', async () => {
  const empty = await tempDir('empty');
  await expect(buildReport([empty])).rejects.toMatchObject({
    exitCode: 2,
    message: expect.stringContaining(empty),
  });
  await expect(buildReport([join(empty, 'missing')])).rejects.toMatchObject({
    exitCode: 2,
    message: expect.stringContaining('results directory not found'),
  });
});
