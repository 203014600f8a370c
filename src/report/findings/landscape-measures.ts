// What the loss-landscape findings (Li et al. 2018) read from each run's landscape.csv: the loss
// rise along the 1-D slice and the non-convex share of the 2-D slice, per depth where both
// architectures have rows.
import { groupBy, spread, type Spread } from '../aggregate.js';
import type { LandscapePoint, ReportData } from '../rows.js';
import { type Compared, plainAboveResidual, residualSides, settingOf, settingTag } from './depth-groups.js';
import { defineFinding, type FindingDefinition } from './finding.js';

/** Loss rise from the trained weights to half the slice's range, averaged over both signs. */
export function lossRise(line: LandscapePoint[]): number {
  if (line.length === 0) return NaN;
  const nearest = (a: number) =>
    line.reduce((best, p) => (Math.abs(p.alpha - a) < Math.abs(best.alpha - a) ? p : best));
  const half = Math.max(...line.map((p) => Math.abs(p.alpha))) / 2;
  return (nearest(half).loss + nearest(-half).loss) / 2 - nearest(0).loss;
}

/**
 * Share of interior 2-D grid points where the finite-difference Hessian of the loss has a negative
 * eigenvalue: a discrete stand-in for Li et al.'s map of |λmin/λmax|.
 */
export function nonConvexShare(plane: LandscapePoint[]): number {
  const alphas = [...new Set(plane.map((p) => p.alpha))].sort((a, b) => a - b);
  const betas = [...new Set(plane.map((p) => p.beta))].sort((a, b) => a - b);
  const f = new Map(plane.map((p) => [`${p.alpha}\u0000${p.beta}`, p.loss]));
  const at = (i: number, j: number) => f.get(`${alphas[i]}\u0000${betas[j]}`) ?? NaN;
  let interior = 0;
  let negative = 0;
  for (let i = 1; i < alphas.length - 1; i++) {
    for (let j = 1; j < betas.length - 1; j++) {
      const faa = at(i + 1, j) - 2 * at(i, j) + at(i - 1, j);
      const fbb = at(i, j + 1) - 2 * at(i, j) + at(i, j - 1);
      const fab = (at(i + 1, j + 1) - at(i + 1, j - 1) - at(i - 1, j + 1) + at(i - 1, j - 1)) / 4;
      if (![faa, fbb, fab].every(Number.isFinite)) continue;
      interior++;
      const minEigen = (faa + fbb) / 2 - Math.sqrt(((faa - fbb) / 2) ** 2 + fab ** 2);
      if (minEigen < 0) negative++;
    }
  }
  return interior === 0 ? NaN : negative / interior;
}

export interface LandscapeMeasures {
  rise: Spread;
  nonConvex: Spread;
}

export interface LandscapePair {
  setting: string;
  depth: number;
  plain: LandscapeMeasures;
  residual: LandscapeMeasures;
}

/** Per depth with both architectures: the seed spread of each measure for plain and residual. */
export function landscapePairs(data: ReportData): LandscapePair[] {
  const runs = [...groupBy(data.landscapes, (p) => p.run).values()].map((ps) => ({
    setting: settingOf(data)(ps[0]),
    residual: ps[0].residual,
    arch: ps[0].arch,
    depth: ps[0].depth,
    rise: lossRise(ps.filter((p) => p.dir === '1d')),
    nonConvex: nonConvexShare(ps.filter((p) => p.dir === '2d')),
  }));
  const pairs: LandscapePair[] = [];
  // Nets of another setting (no normalisation, another activation) are not more seeds of these.
  for (const atDepth of groupBy(runs, (r) => `${r.setting}\u0000${r.depth}`).values()) {
    const { setting, depth } = atDepth[0];
    const measures = (rs: typeof runs) => ({
      rise: spread(rs.map((r) => r.rise)),
      nonConvex: spread(rs.map((r) => r.nonConvex)),
    });
    for (const side of residualSides(atDepth, setting)) {
      if (side.residual.length === 0 || side.plain.length === 0) continue;
      pairs.push({
        setting: side.setting,
        depth,
        plain: measures(side.plain),
        residual: measures(side.residual),
      });
    }
  }
  return pairs;
}

/**
 * A claim that a landscape `measure` of plain nets is above residual nets', judged at each depth
 * with both on the seed ranges; the findings come in the order of the sentences `sentence` words.
 */
export function landscapeFinding(
  name: string,
  claim: string,
  measure: keyof LandscapeMeasures,
  sentence: (at: Compared) => string,
): FindingDefinition {
  return defineFinding(name, claim, (data) =>
    landscapePairs(data)
      .map(({ setting, depth, plain, residual }) => {
        const at = plainAboveResidual({ depth, plain: plain[measure], residual: residual[measure] });
        return { setting, verdict: at.verdict, text: settingTag(setting) + sentence(at) };
      })
      .sort((a, b) => a.text.localeCompare(b.text)),
  );
}
