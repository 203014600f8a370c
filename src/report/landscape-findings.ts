// The loss-landscape findings (Li et al. 2018), per depth where both architectures have landscape
// rows: the residual net's 2-D slice has fewer non-convex points (the paper's claim about shape),
// and its loss rises less along filter-normalised directions (sharpness), each with its verdict.
import { groupBy, spread } from './aggregate.js';
import type { LandscapePoint, ReportData } from './rows.js';
import { compareAbove, describe, type Finding } from './verdict.js';

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

const fixed = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const pct = (v: number) => (Number.isFinite(v) ? `${Math.round(100 * v)}%` : 'n/a');

export function landscapeFindings(data: ReportData): Finding[] {
  const runs = [...groupBy(data.landscapes, (p) => p.run).values()].map((ps) => ({
    residual: ps[0].residual,
    depth: ps[0].depth,
    rise: lossRise(ps.filter((p) => p.dir === '1d')),
    nonConvex: nonConvexShare(ps.filter((p) => p.dir === '2d')),
  }));
  const findings: Finding[] = [];
  for (const [depth, atDepth] of groupBy(runs, (r) => String(r.depth))) {
    const res = atDepth.filter((r) => r.residual);
    const plain = atDepth.filter((r) => !r.residual);
    if (res.length === 0 || plain.length === 0) continue;
    // Li et al.'s claim is about shape: residual surfaces nearly convex, plain ones chaotic. The
    // non-convex share reads that; the loss rise (sharpness) is reported beside it as its own claim.
    const [pn, rn] = [spread(plain.map((r) => r.nonConvex)), spread(res.map((r) => r.nonConvex))];
    const convex = compareAbove(pn, rn);
    findings.push({
      id: 'landscape-convexity',
      claim:
        'around its minimum a residual net has a more convex loss surface than a plain net (Li et al. 2018)',
      setting: '',
      verdict: convex.verdict,
      text:
        `points of the 2-D slice where the loss curves down along some direction (finite-difference Hessian with a negative eigenvalue): ` +
        `residual-${depth} ${describe(rn, pct)}, plain-${depth} ${describe(pn, pct)} (${convex.why}): more convex residual landscape ${convex.verdict}.`,
    });
    const [pr, rr] = [spread(plain.map((r) => r.rise)), spread(res.map((r) => r.rise))];
    const sharp = compareAbove(pr, rr);
    findings.push({
      id: 'landscape-sharpness',
      claim: "a residual net's loss rises less away from its minimum than a plain net's (Li et al. 2018)",
      setting: '',
      verdict: sharp.verdict,
      text:
        `moving half the slice's range along a filter-normalised direction raises the training loss of residual-${depth} by ` +
        `${describe(rr, fixed)} and of plain-${depth} by ${describe(pr, fixed)} (${sharp.why}): flatter residual minimum ${sharp.verdict}.`,
    });
  }
  return findings.sort((a, b) => a.text.localeCompare(b.text));
}
