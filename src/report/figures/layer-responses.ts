// Fig. 7 of He et al. 2015: the standard deviation of each layer's response in the trained net,
// by layer index and sorted by magnitude. Residual nets should respond less than plain ones.
import {
  arch,
  archDomain,
  finalResponses,
  groupBy,
  netLabel,
  round4,
  settingLabeller,
  spread,
} from '../aggregate.js';
import type { ReportData } from '../rows.js';
import { depthLines } from './depth-lines.js';
import { emptyFigure, type Figure, figureSpec, type TopLevelSpec } from './figure.js';
import { settingPanels } from './setting-panels.js';

export const BY_INDEX = 'by layer index';
export const BY_MAGNITUDE = 'sorted by magnitude';

export function layerResponses(data: ReportData): TopLevelSpec {
  const heading = 'Layer responses (He et al. Fig. 7)';
  const { points, leftOut } = finalResponses(data);
  if (points.length === 0) return emptyFigure(heading, 'No response_std in any layers.csv.');
  const setting = settingLabeller(data.runs);

  const byLayer = groupBy(points, (p) => [setting(p), netLabel(p), p.depth_index].join('\u0000'));
  const means = [...byLayer.values()].map((ps) => ({
    setting: setting(ps[0]),
    net: netLabel(ps[0]),
    arch: arch(ps[0]),
    depth: ps[0].depth,
    index: ps[0].depth_index,
    std: round4(spread(ps.map((p) => p.value)).mean),
    seeds: ps.length,
  }));
  const values: Record<string, unknown>[] = [];
  for (const net of groupBy(means, (m) => `${m.setting}\u0000${m.net}`).values()) {
    for (const m of net) values.push({ ...m, view: BY_INDEX, x: m.index });
    [...net]
      .sort((a, b) => b.std - a.std)
      .forEach((m, rank) => values.push({ ...m, view: BY_MAGNITUDE, x: rank + 1 }));
  }

  return figureSpec(
    heading,
    [
      "std of each layer's response at the last probe step, mean over seeds · solid: residual, dashed: plain",
      'left: by depth index from the input · right: the same values sorted from largest to smallest',
      leftOut > 0 ? `${leftOut} run(s) that did not complete are left out` : '',
    ],
    settingPanels(
      values,
      { field: 'view', order: [BY_INDEX, BY_MAGNITUDE] },
      depthLines({
        pick: 'pickNet',
        size: { width: 320, height: 220 },
        pointSize: 12,
        x: { field: 'x', title: 'layer index (left) · rank by magnitude (right)' },
        y: { field: 'std', type: 'quantitative', title: 'response std' },
        strokeDash: {
          field: 'arch',
          type: 'nominal',
          title: 'net',
          scale: {
            domain: archDomain(data.runs),
            // plain dashed, residual solid, further blocks in their own dash patterns
            range: archDomain(data.runs).map((a, i) =>
              a === 'plain'
                ? [4, 3]
                : [
                    [1, 0],
                    [8, 2],
                    [2, 2],
                    [6, 2, 2, 2],
                  ][(i - 1) % 4],
            ),
          },
        },
        detail: 'net',
        tooltip: [
          { field: 'net' },
          { field: 'index', title: 'layer index' },
          { field: 'std', format: '.3f' },
          { field: 'seeds' },
        ],
      }),
    ),
  );
}

export const figure: Figure = {
  id: 'layer-responses',
  title: 'Layer responses',
  reads: ['layers'],
  build: layerResponses,
};
