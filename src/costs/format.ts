// Text table and CSV renderings of analyses (JSON is the objects themselves).
import type { ModelAnalysis } from './analyze.js';
import { publishedFor } from './reference/published.js';

const num = (x: number) => x.toLocaleString('en-US');
const giga = (x: number) => (x / 1e9).toFixed(x >= 1e8 ? 2 : 4);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-');

function table(header: string[], rows: string[][], rightAligned: (i: number) => boolean): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One row per model; published torchvision numbers in the last columns where they exist. */
export function summaryTable(analyses: ModelAnalysis[]): string {
  const batch = analyses[0]?.batch ?? 1;
  const header = [
    'model',
    'input',
    'params',
    'trainable',
    'GMACs',
    'GFLOPs',
    'weights MiB',
    `act MiB @${batch}`,
    'FC params',
    'FC MACs',
    'published params',
    'pub. GMACs',
  ];
  const rows = analyses.map((a) => {
    const pub = publishedFor(a.model)?.torchvision;
    return [
      a.model,
      a.input,
      num(a.params),
      num(a.trainable_params),
      giga(a.macs),
      giga(a.flops),
      mib(a.weight_bytes),
      mib(a.activation_bytes),
      pct(a.fc_params, a.params),
      pct(a.fc_macs, a.macs),
      pub ? num(pub.params) : '',
      pub ? pub.gmacs.toFixed(2) : '',
    ];
  });
  let text = table(header, rows, (i) => i >= 2);
  const timed = analyses.filter((a) => a.forward_ms_per_image != null);
  if (timed.length) {
    const tRows = timed.map((a) => [
      a.model,
      a.time_backend ?? '',
      String(a.time_batch ?? ''),
      a.forward_ms_per_image!.toFixed(2),
      a.train_ms_per_image!.toFixed(2),
      (a.flops / (a.forward_ms_per_image! * 1e6) || 0).toFixed(2),
    ]);
    text += '\n\nmeasured (training-mode forward; train step = forward + backward + SGD update):\n';
    text += table(
      ['model', 'backend', 'batch', 'forward ms/image', 'train ms/image', 'forward GFLOP/s'],
      tRows,
      (i) => i >= 2,
    );
  }
  return text;
}

export function perLayerTable(a: ModelAnalysis): string {
  const rows = (a.layers ?? []).map((r) => [
    r.name,
    String(r.depth_index),
    r.type,
    r.output_shape.join('x'),
    num(r.params),
    num(r.macs),
  ]);
  return (
    `${a.model} (${a.input}):\n` +
    table(['name', 'depth', 'type', 'output', 'params', 'MACs'], rows, (i) => i === 1 || i >= 4)
  );
}

function csvCell(v: unknown): string {
  const s = Array.isArray(v) ? v.join('x') : String(v ?? '');
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** Summary CSV: one row per model (every scalar field). */
export function summaryCsv(analyses: ModelAnalysis[]): string {
  const keys = [...new Set(analyses.flatMap((a) => Object.keys(a).filter((k) => k !== 'layers')))];
  return csv(
    keys,
    analyses.map((a) => keys.map((k) => (a as unknown as Record<string, unknown>)[k])),
  );
}

/** Per-layer CSV, long format: one row per op of every model. */
export function perLayerCsv(analyses: ModelAnalysis[]): string {
  const header = ['model', 'input', 'name', 'depth_index', 'type', 'output_shape', 'params', 'macs'];
  const rows = analyses.flatMap((a) =>
    (a.layers ?? []).map((r) => [
      a.model,
      a.input,
      r.name,
      r.depth_index,
      r.type,
      r.output_shape,
      r.params,
      r.macs,
    ]),
  );
  return csv(header, rows);
}
