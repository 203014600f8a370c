// The architecture comparison page (`gradflow analyze ... --report FILE`): one offline HTML file
// with the counts table beside the published numbers, the claims checked, and four Vega-Lite
// figures, each inlined as a static SVG and made interactive when scripts run. It reuses the
// report module's pieces (escaping, SVG rendering, the inlined vega libraries).
import { writeFileAtomic } from '../ground/atomic.js';
import { resolve } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { EMBED_OPTIONS, escapeHtml, readSpecs, renderShell } from '../report/html.js';
import { browserLibraries } from '../report/libraries.js';
import { renderSvg, scopeSvgIds } from '../report/render.js';
import type { ModelAnalysis } from './analyze.js';
import type { CheckedClaim } from './claims.js';
import { CONVENTIONS } from './conventions.js';
import { SOURCES, publishedFor } from './reference/published.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = {
  view: { stroke: '#ddd' },
  title: { anchor: 'start', fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555' },
};
const mib = (bytes: number) => bytes / 2 ** 20;

function familyOf(model: string): string {
  if (/^vgg/.test(model)) return 'VGG';
  if (/^resnet/.test(model)) return 'ResNet';
  return 'other';
}

export function bubbleSpec(analyses: ModelAnalysis[]): TopLevelSpec {
  const values = analyses.map((a) => ({
    model: a.model,
    family: familyOf(a.model),
    gmacs: a.macs / 1e9,
    mparams: a.params / 1e6,
    activation_mib: Math.round(mib(a.activation_bytes)),
  }));
  const batch = analyses[0]?.batch ?? 1;
  const enc = {
    x: { field: 'gmacs', type: 'quantitative', title: 'G multiply-adds per image' },
    y: { field: 'mparams', type: 'quantitative', title: 'parameters (millions)' },
  };
  return {
    $schema: SCHEMA,
    title: {
      text: 'Parameters vs multiply-adds',
      subtitle: [`bubble area: activation memory kept for backward at batch ${batch} (MiB)`],
    },
    data: { values },
    width: 560,
    height: 360,
    layer: [
      {
        mark: { type: 'circle', opacity: 0.6, stroke: '#333', strokeWidth: 0.5 },
        encoding: {
          ...enc,
          size: {
            field: 'activation_mib',
            type: 'quantitative',
            title: `activations MiB @${batch}`,
            scale: { range: [40, 2500] },
          },
          color: { field: 'family', type: 'nominal' },
          tooltip: [
            { field: 'model' },
            { field: 'gmacs', format: '.2f' },
            { field: 'mparams', format: '.1f' },
            { field: 'activation_mib' },
          ],
        },
      },
      { mark: { type: 'text', dy: -12, fontSize: 11 }, encoding: { ...enc, text: { field: 'model' } } },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}

export function shareSpec(analyses: ModelAnalysis[]): TopLevelSpec {
  const parts = [
    ['parameters', 'conv', 'conv_params', 'params'],
    ['parameters', 'fully connected', 'fc_params', 'params'],
    ['multiply-adds', 'conv', 'conv_macs', 'macs'],
    ['multiply-adds', 'fully connected', 'fc_macs', 'macs'],
  ] as const;
  const values = analyses.flatMap((a) =>
    parts.map(([measure, part, value, total]) => ({
      model: a.model,
      measure,
      part,
      value: a[value],
      share: a[value] / a[total],
    })),
  );
  return {
    $schema: SCHEMA,
    title: {
      text: 'Conv vs fully connected share',
      subtitle: ['of parameters (left) and of multiply-adds (right): where VGG-style claims are settled'],
    },
    data: { values },
    facet: {
      column: { field: 'measure', type: 'nominal', title: null, sort: ['parameters', 'multiply-adds'] },
    },
    spec: {
      width: 300,
      height: { step: 22 },
      mark: 'bar',
      encoding: {
        y: { field: 'model', type: 'nominal', sort: null, title: null },
        x: { field: 'share', type: 'quantitative', stack: 'zero', axis: { format: '%' }, title: 'share' },
        color: { field: 'part', type: 'nominal', title: 'layers', scale: { range: ['#4c78a8', '#e45756'] } },
        tooltip: [
          { field: 'model' },
          { field: 'measure' },
          { field: 'part' },
          { field: 'share', format: '.2%' },
          { field: 'value', format: ',' },
        ],
      },
    },
    config: CONFIG,
  } as TopLevelSpec;
}

export function memorySpec(analyses: ModelAnalysis[]): TopLevelSpec {
  const batch = analyses[0]?.batch ?? 1;
  const acts = `activations kept for backward (batch ${batch})`;
  const values = analyses.flatMap((a) => [
    { model: a.model, what: 'weights (fp32)', mib: Math.round(mib(a.weight_bytes)) },
    { model: a.model, what: acts, mib: Math.round(mib(a.activation_bytes)) },
  ]);
  return {
    $schema: SCHEMA,
    title: {
      text: `Memory: weights and activations at batch ${batch}`,
      subtitle: ['fp32; activations = the distinct tensors a training step keeps for its backward pass'],
    },
    data: { values },
    width: 520,
    height: { step: 14 },
    mark: 'bar',
    encoding: {
      y: { field: 'model', type: 'nominal', sort: null, title: null },
      yOffset: { field: 'what', type: 'nominal' },
      x: { field: 'mib', type: 'quantitative', title: 'MiB' },
      color: { field: 'what', type: 'nominal', title: null, legend: { orient: 'bottom' } },
      tooltip: [{ field: 'model' }, { field: 'what' }, { field: 'mib', format: ',' }],
    },
    config: CONFIG,
  } as TopLevelSpec;
}

export function accuracySpec(analyses: ModelAnalysis[]): TopLevelSpec {
  const values = analyses.flatMap((a) => {
    const tv = publishedFor(a.model)?.torchvision;
    return tv
      ? [{ model: a.model, family: familyOf(a.model), gmacs: a.macs / 1e9, top1: tv.top1, top5: tv.top5 }]
      : [];
  });
  const enc = {
    x: { field: 'gmacs', type: 'quantitative', title: 'G multiply-adds per image (counted)' },
    y: {
      field: 'top1',
      type: 'quantitative',
      title: 'ImageNet top-1 accuracy, % (published)',
      scale: { zero: false },
    },
  };
  return {
    $schema: SCHEMA,
    title: { text: 'Published accuracy vs counted cost', subtitle: [`top-1: ${SOURCES.torchvision}`] },
    data: { values },
    width: 560,
    height: 300,
    layer: [
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          ...enc,
          color: { field: 'family', type: 'nominal' },
          tooltip: [
            { field: 'model' },
            { field: 'top1' },
            { field: 'top5' },
            { field: 'gmacs', format: '.2f' },
          ],
        },
      },
      { mark: { type: 'text', dy: -10, fontSize: 11 }, encoding: { ...enc, text: { field: 'model' } } },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}

const fmt = (x: number, digits = 2) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const int = (x: number) => x.toLocaleString('en-US');

function tableHtml(analyses: ModelAnalysis[]): string {
  const batch = analyses[0]?.batch ?? 1;
  const head = [
    'model',
    'input',
    'params (trainable)',
    'GMACs',
    'FC share of params',
    'FC share of MACs',
    'weights MiB',
    `activations MiB @${batch}`,
    'torchvision params',
    'torchvision GMACs',
    'He et al. GMACs',
    'top-1 / top-5 acc. (torchvision)',
    'top-1 / top-5 err. (He et al.)',
  ];
  const timed = analyses.some((a) => a.forward_ms_per_image != null);
  if (timed) head.push('measured forward ms/image', 'measured train step ms/image');
  const rows = analyses.map((a) => {
    const p = publishedFor(a.model);
    const tv = p?.torchvision;
    const he = p?.he2015;
    const heErr = he
      ? `${fmt(he.top1Error)}${he.top5Error != null ? ` / ${fmt(he.top5Error)}` : ''} <small>(${escapeHtml(SOURCES[he.table].replace('He et al. 2015, ', ''))})</small>`
      : '';
    const paramsMatch = tv ? (tv.params === a.trainable_params ? ' ✓' : ` ✗`) : '';
    const cells = [
      escapeHtml(a.model),
      escapeHtml(a.input),
      int(a.trainable_params),
      fmt(a.macs / 1e9),
      `${fmt((100 * a.fc_params) / a.params, 1)}%`,
      `${fmt((100 * a.fc_macs) / a.macs, 2)}%`,
      fmt(mib(a.weight_bytes), 1),
      fmt(mib(a.activation_bytes), 0),
      tv ? `${int(tv.params)}${paramsMatch}` : '',
      tv ? fmt(tv.gmacs) : '',
      p?.he2015Gmacs != null ? fmt(p.he2015Gmacs, 1) : '',
      tv ? `${fmt(tv.top1)} / ${fmt(tv.top5)}` : '',
      heErr,
    ];
    if (timed) {
      const where = a.time_backend
        ? ` <small>(${escapeHtml(a.time_backend)}, batch ${a.time_batch})</small>`
        : '';
      cells.push(
        a.forward_ms_per_image != null ? `${fmt(a.forward_ms_per_image)}${where}` : '',
        a.train_ms_per_image != null ? fmt(a.train_ms_per_image) : '',
      );
    }
    return `<tr>${cells.map((c, i) => (i < 2 ? `<td>${c}</td>` : `<td class="n">${c}</td>`)).join('')}</tr>`;
  });
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 1400px; padding: 0 1.5rem; color: #222; line-height: 1.45; }
table { border-collapse: collapse; font-size: .85rem; } th, td { border-bottom: 1px solid #e5e5e5; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } th { background: #f6f6f6; }
.claims li { margin: .6rem 0; } .claim { font-weight: 600; }
.verdict { display: inline-block; font-size: .75rem; font-weight: 600; padding: .05rem .45rem; border-radius: .6rem; margin-right: .4rem; text-transform: uppercase; }
.verdict-true { background: #d8f0dc; color: #1b5e20; } .verdict-false { background: #fbdada; color: #8e1b1b; } .verdict-partly-true { background: #fff1c7; color: #6d4c00; }
section.figure { margin: 2rem 0; } .chart { overflow-x: auto; } .notes, .sources { font-size: .85rem; color: #555; }
`;
const SPECS_ID = 'analysis-specs';

const BOOT = `(function () {
  var specs = ${readSpecs(SPECS_ID)};
  Array.prototype.forEach.call(document.querySelectorAll('.chart[data-figure]'), function (el) {
    var target = document.createElement('div');
    vegaEmbed(target, specs[el.getAttribute('data-figure')], ${EMBED_OPTIONS}).then(function () {
      var s = el.querySelector('.static'); if (s) s.remove(); el.appendChild(target);
    }).catch(function (err) { console.error('gradflow: figure could not be drawn: ' + err); });
  });
})();`;

export interface ArchitecturePageInput {
  analyses: ModelAnalysis[];
  claims: CheckedClaim[];
  generatedAt?: string;
}

export async function renderArchitecturePage(input: ArchitecturePageInput): Promise<string> {
  const figures = [
    { id: 'bubble', spec: bubbleSpec(input.analyses) },
    { id: 'share', spec: shareSpec(input.analyses) },
    { id: 'memory', spec: memorySpec(input.analyses) },
  ];
  // Only models in the reference table have a published accuracy to plot.
  if (input.analyses.some((a) => publishedFor(a.model)?.torchvision))
    figures.push({ id: 'accuracy', spec: accuracySpec(input.analyses) });
  const sections: string[] = [];
  for (const f of figures) {
    const svg = scopeSvgIds(await renderSvg(f.spec), `fig-${f.id}`);
    sections.push(
      `<section class="figure" id="fig-${f.id}"><div class="chart" data-figure="${f.id}"><div class="static">${svg}</div></div></section>`,
    );
  }
  const claims = input.claims
    .map(
      (c) =>
        `<li><span class="verdict verdict-${c.verdict.replace(/\s+/g, '-')}">${escapeHtml(c.verdict)}</span>` +
        `<span class="claim">“${escapeHtml(c.claim)}”</span><br>${escapeHtml(c.text)}</li>`,
    )
    .join('\n');
  const specs = Object.fromEntries(figures.map((f) => [f.id, f.spec]));
  const cited = Object.values(SOURCES);
  const body = `<h1>Architecture costs: parameters, multiply-adds and memory</h1>
<p class="notes">Counted by <code>gradflow analyze</code> from the networks gradflow builds and trains (shape mode, nothing allocated) · generated ${escapeHtml(input.generatedAt ?? new Date().toISOString())}</p>
${tableHtml(input.analyses)}
<p class="notes">✓ / ✗: the trainable parameter count equals / differs from torchvision's. GMACs: one multiply-add = one MAC, conv and fully connected layers only (torchvision's "GFLOPS" column counts the same; FLOPs = 2 x MACs). He et al. count ResNet v1 (stride on the first 1x1 of a bottleneck), hence 3.8G for ResNet-50 where torchvision's v1.5 has 4.1G.</p>
<h2>Claims, checked</h2>
<p class="notes">Each verdict is computed from the counts of vgg16, vgg19 and resnet18-152 at 224x224x3 (activations at batch 32) every time this page is built.</p>
<ul class="claims">${claims}</ul>
${sections.join('\n')}
<h2>Counting conventions</h2>
<ul class="notes">${CONVENTIONS.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>
<h2>Sources of the published numbers</h2>
<ul class="sources">${cited.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}<li>K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition", CVPR 2016, arXiv:1512.03385.</li></ul>`;
  return renderShell({
    title: 'gradflow: architecture costs',
    style: STYLE,
    body,
    specs,
    specsId: SPECS_ID,
    boot: BOOT,
    libraries: browserLibraries(),
  }).html;
}

/** Write the page atomically (temp file + rename) and return its absolute path. */
export async function writeArchitecturePage(file: string, input: ArchitecturePageInput): Promise<string> {
  const out = resolve(file);
  writeFileAtomic(out, await renderArchitecturePage(input));
  return out;
}
