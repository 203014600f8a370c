// buildReport: results directories -> one offline HTML file, plus optional PNGs and Vega-Lite
// specs per figure. The one entry point the CLI (`gradflow report`, `gradflow demo`) calls.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../ground/errors.js';
import { figuresFor, REPORT_STATS } from './figures/index.js';
import { computeFindings, type Finding } from './findings/index.js';
import { renderPage, type PageFigure } from './html.js';
import { browserLibraries } from './libraries.js';
import { loadResults } from './load.js';
import { svgToPng } from './png.js';
import { renderSvg, scopeSvgIds } from './render.js';

export interface BuildReportOptions {
  /** HTML file to write. Default: reports/<experiment>.html (experiments joined by '+'). */
  out?: string;
  /** Directory for one PNG per figure. */
  png?: string;
  /** Directory for one <figure>.vl.json per figure, data inline. */
  specs?: string;
  /** Page title. Default: "gradflow report: <experiments>". */
  title?: string;
  /** The block others are compared against (see findings/baseline.ts). */
  baseline?: string;
}

export interface BuildReportResult {
  out: string;
  bytes: number;
  millis: number;
  runs: number;
  figures: string[];
  findings: Finding[];
  notes: string[];
  pngs: string[];
  specs: string[];
}

export async function buildReport(
  dirs: readonly string[],
  options: BuildReportOptions = {},
): Promise<BuildReportResult> {
  const started = performance.now();
  if (dirs.length === 0)
    throw new UserError('report: name at least one results directory (e.g. results/quick)');
  let data;
  try {
    data = await loadResults(dirs, { stats: REPORT_STATS });
  } catch (err) {
    throw new UserError(`report: ${(err as Error).message}`);
  }
  if (data.runs.length === 0) {
    const why = data.notes.length > 0 ? `; ${data.notes.join('; ')}` : '';
    throw new UserError(`report: no run with a manifest.json under ${dirs.join(', ')}${why}`);
  }
  if (options.baseline !== undefined) {
    const blocks = [...new Set(data.runs.map((r) => r.block))].sort();
    if (!blocks.includes(options.baseline))
      throw new UserError(
        `report: --baseline ${options.baseline}: no run uses that block (blocks here: ${blocks.join(', ')})`,
      );
    data.baseline = options.baseline;
  }
  const experiments = [...new Set(data.runs.map((r) => r.experiment))];
  const out = resolve(options.out ?? join('reports', `${experiments.map(safeFileName).join('+')}.html`));

  const figures: PageFigure[] = [];
  const svgs = new Map<string, string>();
  for (const figure of figuresFor(data)) {
    const spec = figure.build(data);
    const svg = await renderSvg(spec);
    svgs.set(figure.id, svg);
    figures.push({ id: figure.id, title: figure.title, spec, svg: scopeSvgIds(svg, `fig-${figure.id}`) });
  }
  const findings = computeFindings(data);

  const html = renderPage({
    title: options.title ?? `gradflow report: ${experiments.join(', ')}`,
    sources: [...dirs],
    runCount: data.runs.length,
    findings,
    notes: data.notes,
    figures,
    libraries: browserLibraries(),
    generatedAt: new Date().toISOString(),
  });
  await writeAtomic(out, html);

  const pngs: string[] = [];
  if (options.png) {
    await mkdir(options.png, { recursive: true });
    for (const figure of figures) {
      const path = resolve(options.png, `${figure.id}.png`);
      await writeFile(path, svgToPng(svgs.get(figure.id)!));
      pngs.push(path);
    }
  }
  const specs: string[] = [];
  if (options.specs) {
    await mkdir(options.specs, { recursive: true });
    for (const figure of figures) {
      const path = resolve(options.specs, `${figure.id}.vl.json`);
      await writeFile(path, JSON.stringify(figure.spec, null, 1) + '\n');
      specs.push(path);
    }
  }

  return {
    out,
    bytes: Buffer.byteLength(html),
    millis: performance.now() - started,
    runs: data.runs.length,
    figures: figures.map((f) => f.id),
    findings,
    notes: data.notes,
    pngs,
    specs,
  };
}

/** An experiment name as a file name: anything but [A-Za-z0-9._-] becomes '_'. */
export function safeFileName(name: string): string {
  const safe = basename(name).replace(/[^A-Za-z0-9._-]/g, '_');
  return safe.replace(/^\.+/, '_') || 'report';
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
