// The lesion finding (Veit et al. 2016): deleting one block of a trained residual net costs a few
// points of test error, deleting one of a plain net sends it near chance. Computed per depth where
// both architectures have lesion rows, from each run's mean over its deletable blocks.
import { formatPct, groupBy, spread } from '../aggregate.js';
import type { LesionPoint, ReportData } from '../rows.js';
import { compareAbove, describe, MIN_SEEDS, type Verdict } from '../verdict.js';
import { residualSides, settingOf, settingTag } from './depth-groups.js';
import { defineFinding, type SettingJudgement } from './finding.js';

/** "Near chance": within this much of chance error; "far below": more than FAR below it. */
const NEAR = 0.15;
const FAR = 0.25;

interface RunLesion {
  setting: string;
  residual: boolean;
  arch: string;
  depth: number;
  intact: number;
  single: number; // mean error with one block deleted, over the deletable blocks
  chance: number;
}

function perRun(points: LesionPoint[], settingOf: (p: LesionPoint) => string): RunLesion | null {
  const of = (mode: string) =>
    points.filter((p) => p.mode === mode && p.status === 'ok' && Number.isFinite(p.error));
  const [intact] = of('intact');
  const [chance] = of('chance');
  const single = of('single');
  if (!intact || !chance || single.length === 0) return null;
  const p = points[0];
  return {
    setting: settingOf(p),
    residual: p.residual,
    arch: p.arch,
    depth: p.depth,
    intact: intact.error,
    chance: chance.error,
    single: spread(single.map((s) => s.error)).mean,
  };
}

/** A difference of errors in percentage points. */
const points = (v: number): string => (100 * v).toFixed(1);

const CLAIM =
  'deleting one block barely hurts a residual net but sends a plain net to chance (Veit et al. 2016)';

function lesionJudgements(data: ReportData): SettingJudgement[] {
  const runs = [...groupBy(data.lesions, (p) => p.run).values()]
    .map((points) => perRun(points, settingOf(data)))
    .filter((r): r is RunLesion => r !== null);
  const judgements: SettingJudgement[] = [];
  // Nets of another setting (no normalisation, another activation) are not more seeds of these.
  const sides = [...groupBy(runs, (r) => `${r.setting}\u0000${r.depth}`).values()].flatMap((atDepth) =>
    residualSides(atDepth, atDepth[0].setting).map((side) => ({ ...side, depth: atDepth[0].depth, atDepth })),
  );
  for (const { setting, depth, plain, residual: res, atDepth } of sides) {
    if (res.length === 0 || plain.length === 0) continue;
    const chance = spread(atDepth.map((r) => r.chance)).mean;
    const resSingle = spread(res.map((r) => r.single));
    const resCost = spread(res.map((r) => r.single - r.intact));
    const plainSingle = spread(plain.map((r) => r.single));
    // The comparison: plain's error after one deletion minus residual's, on its 95% interval.
    const apart = compareAbove(plainSingle, resSingle, formatPct);
    let verdict: Verdict;
    if (resSingle.n < MIN_SEEDS || plainSingle.n < MIN_SEEDS) verdict = 'not established';
    else if (apart.verdict === 'not reproduced' || plainSingle.max < chance - FAR) verdict = 'not reproduced';
    else if (
      resSingle.max < chance - FAR &&
      plainSingle.min >= chance - NEAR &&
      apart.verdict === 'reproduced'
    )
      verdict = 'reproduced';
    else verdict = 'not established';
    judgements.push({
      setting,
      verdict,
      text:
        settingTag(setting) +
        `deleting one non-down-sampling block of residual-${depth} costs ${describe(resCost, points)} points of test error on average ` +
        `(to ${describe(resSingle, formatPct)}); plain-${depth} goes to ${describe(plainSingle, formatPct)} (chance ${formatPct(chance)}; ` +
        `"near chance" means within ${100 * NEAR} points of it, "far below" more than ${100 * FAR}; plain minus residual: ${apart.why}): lesion robustness ${verdict}.`,
    });
  }
  return judgements.sort((a, b) => a.text.localeCompare(b.text));
}

export const lesion = defineFinding('lesion', CLAIM, lesionJudgements);
