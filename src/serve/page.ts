// The live page: the report's shell (the same inlined libraries, styles and script policy, plus
// a connection to its own event stream) with a boot script that draws whatever the stream sends:
// progress, the run table, findings and figures, each replaced in place as updates arrive. Every
// string from the runs is set as text (textContent), never parsed as markup.
import { EMBED_OPTIONS, escapeHtml, REPORT_STYLE, renderShell } from '../report/html.js';
import { browserLibraries } from '../report/libraries.js';
import { ROWS_REVIVER } from '../report/packed-rows.js';

const STYLE = `${REPORT_STYLE}
table.runs { border-collapse: collapse; font-size: .85rem; }
table.runs th, table.runs td { padding: .15rem .6rem; text-align: left; border-bottom: 1px solid #eee; white-space: nowrap; }
table.runs td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr[data-status="running"] td.status { color: #0b57d0; font-weight: 600; }
tr[data-status="completed"] td.status { color: #1b5e20; }
tr[data-status="diverged"] td.status, tr[data-status="failed"] td.status { color: #8e1b1b; font-weight: 600; }
tr[data-status="queued"] td { color: #888; }
.sweep { margin: .3rem 0; font-size: .9rem; }
.sweep progress { width: 16rem; vertical-align: middle; margin-right: .6rem; }
#live-status[data-state="live"] { color: #1b5e20; }
#live-status[data-state="disconnected"] { color: #8e1b1b; font-weight: 600; }
.provisional { color: #6d4c00; font-size: .85rem; display: block; }
`;

const BOOT = `
(function () {
  var embedOptions = ${EMBED_OPTIONS};
  var version = 0;
  var pending = {};
  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function byId(id) { return document.getElementById(id); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function countRows(node) {
    if (Array.isArray(node)) return node.reduce(function (n, x) { return n + countRows(x); }, 0);
    if (!node || typeof node !== 'object') return 0;
    var n = 0;
    for (var key in node) {
      if (key === 'values' && Array.isArray(node[key])) n += node[key].length;
      else n += countRows(node[key]);
    }
    return n;
  }
  function renderSweeps(sweeps) {
    var root = byId('sweeps');
    clear(root);
    sweeps.forEach(function (s) {
      var line = make('div', 'sweep');
      line.setAttribute('data-experiment', s.experiment);
      var bar = make('progress');
      bar.max = 1;
      bar.value = s.fraction;
      line.appendChild(bar);
      line.appendChild(document.createTextNode(s.experiment + ': ' + s.ended + ' of ' + s.planned +
        ' runs ended, ' + s.running + ' running, ' + (100 * s.fraction).toFixed(1) + '% of the sweep, ETA ' + s.eta));
      root.appendChild(line);
    });
  }
  function renderRuns(runs) {
    var body = byId('runs-body');
    clear(body);
    runs.forEach(function (r) {
      var row = make('tr');
      row.setAttribute('data-run', r.run);
      row.setAttribute('data-status', r.status);
      row.setAttribute('data-step', String(r.step));
      var cells = [
        [r.run, ''], [r.experiment, ''], [r.statusText, 'status'],
        [r.totalSteps > 0 ? r.step + '/' + r.totalSteps : '', 'num'],
        [r.msPerStep === null ? '' : r.msPerStep + ' ms', 'num'], [r.eta, 'num'],
        [r.train, 'num'], [r.test, 'num']
      ];
      cells.forEach(function (c) { row.appendChild(make('td', c[1], c[0])); });
      var files = make('td');
      Object.keys(r.files).forEach(function (name) {
        var link = make('a', '', name);
        link.href = r.files[name];
        files.appendChild(link);
        files.appendChild(document.createTextNode(' '));
      });
      row.appendChild(files);
      body.appendChild(row);
    });
  }
  function renderFindings(findings) {
    var root = byId('findings');
    clear(root);
    if (findings.length === 0) {
      root.appendChild(make('p', '', 'No finding can be tested with these runs yet.'));
      return;
    }
    var list = make('ul', 'findings');
    findings.forEach(function (f) {
      var item = make('li');
      item.appendChild(make('span', 'verdict verdict-' + f.verdict.replace(/\\s+/g, '-'), f.verdict));
      item.appendChild(document.createTextNode(f.text));
      if (f.provisional) item.appendChild(make('span', 'provisional', f.provisional));
      item.appendChild(make('span', 'claim', 'claim: ' + f.claim));
      list.appendChild(item);
    });
    root.appendChild(list);
  }
  function renderNotes(notes) {
    var root = byId('notes');
    clear(root);
    if (notes.length === 0) return;
    var details = make('details', 'notes');
    details.appendChild(make('summary', '', notes.length + ' loading note(s)'));
    var list = make('ul');
    notes.forEach(function (n) { list.appendChild(make('li', '', n)); });
    details.appendChild(list);
    root.appendChild(details);
  }
  function renderFigureList(figures) {
    var root = byId('figures');
    var nav = byId('nav');
    clear(nav);
    var wanted = {};
    figures.forEach(function (f, i) {
      wanted[f.id] = true;
      var section = byId('fig-' + f.id);
      if (!section) {
        section = make('section', 'figure');
        section.id = 'fig-' + f.id;
        section.appendChild(make('h2', '', f.title));
        var chart = make('div', 'chart');
        chart.setAttribute('data-figure', f.id);
        chart.setAttribute('data-state', 'waiting');
        section.appendChild(chart);
      }
      var at = root.children[i];
      if (at !== section) root.insertBefore(section, at || null);
      var link = make('a', '', f.title);
      link.href = '#fig-' + f.id;
      nav.appendChild(link);
    });
    Array.prototype.slice.call(root.children).forEach(function (section) {
      if (!wanted[section.id.slice(4)]) root.removeChild(section);
    });
  }
  function renderSpec(id, spec, at) {
    var section = byId('fig-' + id);
    if (!section) return;
    var chart = section.querySelector('.chart');
    var token = {};
    pending[id] = token;
    var target = make('div', 'interactive');
    vegaEmbed(target, spec, embedOptions).then(function (result) {
      if (pending[id] !== token) { result.finalize(); return; }
      var old = chart.firstChild;
      if (old && old.gradflowView) old.gradflowView.finalize();
      clear(chart);
      target.gradflowView = result;
      chart.appendChild(target);
      chart.setAttribute('data-state', 'interactive');
      chart.setAttribute('data-rows', String(countRows(spec)));
      chart.setAttribute('data-version', String(at));
    }).catch(function (err) { console.error('gradflow: figure ' + id + ' could not be drawn: ' + err); });
  }
  function apply(update, full) {
    if (!full && update.version <= version) return;
    version = update.version;
    byId('updated').textContent = 'updated ' + update.updatedAt;
    if (update.sweeps) renderSweeps(update.sweeps);
    if (update.runs) renderRuns(update.runs);
    if (update.findings) renderFindings(update.findings);
    if (update.notes) renderNotes(update.notes);
    if (update.figures) renderFigureList(update.figures);
    if (update.specs) Object.keys(update.specs).forEach(function (id) { renderSpec(id, update.specs[id], update.version); });
    document.body.setAttribute('data-version', String(version));
  }
  var status = byId('live-status');
  var source = new EventSource('events');
  source.addEventListener('state', function (e) { apply(JSON.parse(e.data, ${ROWS_REVIVER}), true); });
  source.addEventListener('update', function (e) { apply(JSON.parse(e.data, ${ROWS_REVIVER}), false); });
  source.onopen = function () { status.textContent = 'live'; status.setAttribute('data-state', 'live'); };
  source.onerror = function () { status.textContent = 'disconnected, retrying'; status.setAttribute('data-state', 'disconnected'); };
})();
`;

export interface LivePage {
  html: string;
  /** The page's Content-Security-Policy, sent as a header too. */
  csp: string;
}

export function renderLivePage(title: string, sources: readonly string[]): LivePage {
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="meta"><span id="live-status" data-state="connecting">connecting</span> · <span id="updated"></span> · live view of ${sources
    .map((s) => `<code>${escapeHtml(s)}</code>`)
    .join(', ')} by gradflow serve (read-only; <code>gradflow report</code> writes the offline report)</p>
<div id="sweeps"></div>
<h2>Runs</h2>
<table class="runs"><thead><tr><th>run</th><th>experiment</th><th>status</th><th>step</th><th>step time</th><th>ETA</th><th>train err</th><th>test err</th><th>files</th></tr></thead><tbody id="runs-body"></tbody></table>
<h2>Findings</h2>
<div id="findings"></div>
<div id="notes"></div>
<nav id="nav"></nav>
<div id="figures"></div>`;
  return renderShell({
    title,
    style: STYLE,
    body,
    specs: {},
    specsId: 'gradflow-specs',
    boot: BOOT,
    libraries: browserLibraries(),
    connect: "'self'",
  });
}
