// Every per-layer statistic no other figure shows (weight norms, dead ReLUs, a plugin probe's own
// statistic), as a profile by depth at each run's last probe: one panel per statistic, seed means
// per net, so a new probe appears in the report without a figure of its own.
import { arch, groupBy, netOrder, round4, spread } from '../aggregate.js';
import type { LayerPoint, ReportData } from '../rows.js';
import { emptyFigure, type Figure, type TopLevelSpec } from './figure.js';
import { layerLines } from './mode-panels.js';
import { REPORT_STATS } from './report-stats.js';

const shown: ReadonlySet<string> = new Set(REPORT_STATS);

/** Each run's rows of statistics no other figure reads, at that run's last probe step. */
export function otherStats(data: ReportData): LayerPoint[] {
  const out: LayerPoint[] = [];
  for (const rows of groupBy(
    data.layers.filter((l) => !shown.has(l.stat) && Number.isFinite(l.value)),
    (l) => `${l.run}\u0000${l.stat}`,
  ).values()) {
    const last = Math.max(...rows.map((r) => r.step));
    out.push(...rows.filter((r) => r.step === last));
  }
  return out;
}

export function otherStatsFigure(data: ReportData): TopLevelSpec {
  const heading = 'Other per-layer statistics at the last probe';
  const rows = otherStats(data);
  if (rows.length === 0) return emptyFigure(heading, 'No per-layer statistics beyond the ones shown above.');
  const values = [
    ...groupBy(rows, (r) => [r.stat, arch(r), r.depth, r.norm, r.depth_index].join('\u0000')).values(),
  ].map((rs) => {
    const s = spread(rs.map((r) => r.value));
    return {
      stat: rs[0].stat,
      net: `${arch(rs[0])}-${rs[0].depth}${rs[0].norm === 'none' ? ' (no norm)' : ''}`,
      index: rs[0].depth_index,
      mean: round4(s.mean),
      seeds: s.n,
    };
  });
  const nets = netOrder(values.map((v) => v.net));
  return layerLines({
    heading,
    subtitle: [
      'each panel one statistic of layers.csv that no figure above shows, against the layer index (input left), mean over seeds',
      'a probe registered by a plugin shows here without a figure of its own',
    ],
    values,
    panels: { row: 'stat' },
    size: { width: 420, height: 140 },
    xTitle: 'depth index of the layer',
    y: { field: 'mean', title: 'value' },
    colour: { field: 'net', title: 'net', sort: nets },
    tooltip: [
      { field: 'stat' },
      { field: 'net' },
      { field: 'index', title: 'layer' },
      { field: 'mean', format: '.4g' },
      { field: 'seeds' },
    ],
    resolveY: 'independent',
  });
}

export const figure: Figure = {
  id: 'other-stats',
  title: 'Other per-layer statistics',
  reads: ['layers'],
  build: (d) => otherStatsFigure(d),
  applies: (d) => otherStats(d).length > 0,
};
