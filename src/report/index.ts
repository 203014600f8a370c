// The report module's public API.
export { buildReport, type BuildReportOptions, type BuildReportResult } from './build.js';
export { loadResults, type LoadOptions } from './load.js';
export { computeFindings, type Finding, type Verdict } from './findings/index.js';
export { FIGURES, figuresFor, REPORT_STATS, type Figure } from './figures/index.js';
export { renderSvg } from './render.js';
export { svgToPng } from './png.js';
export type { ReportData, RunInfo, MetricPoint, LayerPoint, RunFacets } from './rows.js';
