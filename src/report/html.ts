// The report page: one self-contained HTML file. Every chart is inlined as a static SVG (readable
// with JavaScript off) and, when scripts run, replaced by the interactive vega-embed view built
// from the same spec. Nothing is fetched: the libraries are inlined and a Content-Security-Policy
// forbids any network request. Every string from an experiment is escaped.
import { createHash } from 'node:crypto';
import type { TopLevelSpec } from 'vega-lite';
import type { Finding } from './findings/index.js';
import type { BrowserLibrary } from './libraries.js';
import { packRows, ROWS_REVIVER } from './packed-rows.js';

export interface PageFigure {
  id: string;
  title: string;
  spec: TopLevelSpec;
  svg: string;
}

export interface PageInput {
  title: string;
  sources: string[];
  runCount: number;
  findings: Finding[];
  notes: string[];
  figures: PageFigure[];
  libraries: BrowserLibrary[];
  generatedAt: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * JSON that is safe inside a <script> element: '<' '>' '&' become \u escapes, so no string can
 * close the element (`</script`) or open a comment (`<!--`); U+2028/9 are escaped for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A library's code inside <script>: a literal `</script` would end the element early. */
function scriptSafe(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

/** vega-embed's options on every page: the AST interpreter instead of Function(), no action menu. */
export const EMBED_OPTIONS =
  "{ actions: false, renderer: 'svg', ast: true, expr: vegaExpressionInterpreter }";

/**
 * The inlined browser libraries and the page's own boot code, one script element each, and the
 * Content-Security-Policy that lets exactly these scripts run (by their SHA-256), nothing inline
 * besides, no eval and no network: an escaping slip in the page cannot become a running script.
 */
export function pageScripts(
  libraries: readonly BrowserLibrary[],
  boot: string,
  connect?: "'self'",
): { html: string; csp: string } {
  const scripts = [
    ...libraries.map((lib) => ({
      attrs: ` data-library="${escapeHtml(lib.name)}@${escapeHtml(lib.version)}"`,
      code: scriptSafe(lib.code),
    })),
    { attrs: '', code: boot },
  ];
  const hashes = scripts.map(
    (s) => `'sha256-${createHash('sha256').update(s.code, 'utf8').digest('base64')}'`,
  );
  const csp = [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    "style-src 'unsafe-inline'", // vega-embed styles its views inline
    'img-src data:',
    'font-src data:',
    // The live page's one request: its own event stream. The offline report connects nowhere.
    ...(connect ? [`connect-src ${connect}`] : []),
  ].join('; ');
  return { html: scripts.map((s) => `<script${s.attrs}>${s.code}</script>`).join('\n'), csp };
}

export interface Shell {
  title: string;
  style: string;
  body: string;
  /** Vega-Lite specs by figure id; the boot script reads them with `readSpecs(specsId)`. */
  specs: Record<string, unknown>;
  specsId: string;
  boot: string;
  libraries: readonly BrowserLibrary[];
  /** Where the page may connect (the live page: its own origin); default nowhere. */
  connect?: "'self'";
}

/** Browser JavaScript: the page's specs, parsed from the element `specsId` with their rows unpacked. */
export function readSpecs(specsId: string): string {
  return `JSON.parse(document.getElementById(${JSON.stringify(specsId)}).textContent, ${ROWS_REVIVER})`;
}

/** The one page shell of every gradflow HTML page: policy, styles, body, specs, scripts. */
export function renderShell(page: Shell): { html: string; csp: string } {
  const scripts = pageScripts(page.libraries, page.boot, page.connect);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${scripts.csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${page.style}</style>
</head>
<body>
${page.body}
<script type="application/json" id="${escapeHtml(page.specsId)}">${jsonForScript(packRows(page.specs))}</script>
${scripts.html}
</body>
</html>
`;
  return { html, csp: scripts.csp };
}

export const REPORT_STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 1400px; padding: 0 1.5rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.meta { color: #555; font-size: .9rem; margin-top: 0; }
.findings li { margin: .45rem 0; }
.verdict { display: inline-block; font-size: .75rem; font-weight: 600; padding: .05rem .45rem; border-radius: .6rem; margin-right: .4rem; text-transform: uppercase; letter-spacing: .03em; }
.verdict-reproduced { background: #d8f0dc; color: #1b5e20; }
.verdict-partly { background: #fff1c7; color: #6d4c00; }
.verdict-not-reproduced { background: #fbdada; color: #8e1b1b; }
.verdict-not-established { background: #eee; color: #555; }
.claim { color: #666; font-size: .85rem; display: block; }
section.figure { margin: 2.2rem 0; }
section.figure h2 { font-size: 1.15rem; border-bottom: 1px solid #eee; padding-bottom: .2rem; }
.chart { overflow-x: auto; }
.chart svg { max-width: none; }
.notes { font-size: .85rem; color: #555; }
nav a { margin-right: .8rem; font-size: .9rem; }
`;

const SPECS_ID = 'gradflow-specs';

// Replaces each static SVG with the interactive view; on failure the static one stays.
const BOOT = `
(function () {
  var specs = ${readSpecs(SPECS_ID)};
  var charts = document.querySelectorAll('.chart[data-figure]');
  Array.prototype.forEach.call(charts, function (el) {
    var id = el.getAttribute('data-figure');
    var target = document.createElement('div');
    target.className = 'interactive';
    vegaEmbed(target, specs[id], ${EMBED_OPTIONS})
      .then(function () {
        var staticSvg = el.querySelector('.static');
        if (staticSvg) staticSvg.remove();
        el.appendChild(target);
        el.setAttribute('data-state', 'interactive');
      })
      .catch(function (err) { console.error('gradflow: figure ' + id + ' could not be drawn: ' + err); });
  });
})();
`;

function verdictClass(verdict: string): string {
  return `verdict verdict-${verdict.replace(/\s+/g, '-')}`;
}

export function renderPage(input: PageInput): string {
  const specs = Object.fromEntries(input.figures.map((f) => [f.id, f.spec]));
  const findings =
    input.findings.length > 0
      ? `<ul class="findings">${input.findings
          .map(
            (f) =>
              `<li><span class="${verdictClass(f.verdict)}">${escapeHtml(f.verdict)}</span>${escapeHtml(f.text)}` +
              `<span class="claim">claim: ${escapeHtml(f.claim)}</span></li>`,
          )
          .join('\n')}</ul>`
      : '<p>No finding can be tested with these runs (they need plain and/or residual nets at two or more depths).</p>';
  const notes =
    input.notes.length > 0
      ? `<details class="notes"><summary>${input.notes.length} loading note(s)</summary><ul>${input.notes
          .map((n) => `<li>${escapeHtml(n)}</li>`)
          .join('')}</ul></details>`
      : '';
  const nav = input.figures
    .map((f) => `<a href="#fig-${escapeHtml(f.id)}">${escapeHtml(f.title)}</a>`)
    .join('');
  const figures = input.figures
    .map(
      (f) =>
        `<section class="figure" id="fig-${escapeHtml(f.id)}"><h2>${escapeHtml(f.title)}</h2>` +
        `<div class="chart" data-figure="${escapeHtml(f.id)}" data-state="static"><div class="static">${f.svg}</div></div></section>`,
    )
    .join('\n');
  const body = `<h1>${escapeHtml(input.title)}</h1>
<p class="meta">${input.runCount} run(s) from ${input.sources.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')} · generated ${escapeHtml(input.generatedAt)} by gradflow</p>
<nav>${nav}</nav>
<h2>Findings</h2>
${findings}
${notes}
${figures}`;
  return renderShell({
    title: input.title,
    style: REPORT_STYLE,
    body,
    specs,
    specsId: SPECS_ID,
    boot: BOOT,
    libraries: input.libraries,
  }).html;
}
