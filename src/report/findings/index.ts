// Findings in words, computed from the runs: for each published claim the data can test, one
// sentence with the numbers and a verdict that accounts for seed spread. One file per claim,
// registered here in the order the page shows them; a plugin may register its own.
import { createRegistry } from '../../ground/registry.js';
import type { ReportData } from '../rows.js';
import type { Finding } from '../verdict.js';
import { baselineComparison } from './baseline.js';
import { bnGradients } from './bn-gradients.js';
import { degradation } from './degradation.js';
import type { FindingDefinition } from './finding.js';
import { landscapeConvexity } from './landscape-convexity.js';
import { landscapeSharpness } from './landscape-sharpness.js';
import { lesion } from './lesion.js';
import { residualDepth } from './residual-depth.js';
import { residualVsPlain } from './residual-vs-plain.js';
import { responses } from './responses.js';
import { responsesDepth } from './responses-depth.js';
import { shatter } from './shatter.js';
import { transferFinetune } from './transfer-finetune.js';
import { transferFrozenVgg } from './transfer-frozen-vgg.js';
import { transferOverfit } from './transfer-overfit.js';
import { transferScratch } from './transfer-scratch.js';
import { vanishingPlain } from './vanishing-plain.js';
import { vanishingPlainDepth } from './vanishing-plain-depth.js';
import { vanishingResidual } from './vanishing-residual.js';
import { aboutTrainedNets } from './untrained.js';

export type { FindingDefinition } from './finding.js';
export { compareAbove, type Finding, type Verdict } from '../verdict.js';

const BUILTIN: FindingDefinition[] = [
  transferFinetune,
  transferScratch,
  transferFrozenVgg,
  transferOverfit,
  ...[lesion, landscapeSharpness, landscapeConvexity].map(aboutTrainedNets),
  shatter,
  ...[degradation, residualDepth, residualVsPlain, responses, responsesDepth].map(aboutTrainedNets),
  vanishingPlain,
  vanishingPlainDepth,
  vanishingResidual,
  bnGradients,
  aboutTrainedNets(baselineComparison),
];

const findings = createRegistry<FindingDefinition>('finding', {
  builtins: () => [{ file: 'src/report/findings/index.ts', items: BUILTIN }],
});

/** Register a finding under a new claim id (plugins: gradflow.registerFinding). */
export const registerFinding = (def: FindingDefinition): FindingDefinition => findings.register(def);
export const listFindings = (): FindingDefinition[] => findings.list();

/** Every registered claim's findings, grouped by setting in the order settings first appear. */
export function computeFindings(data: ReportData): Finding[] {
  const all = findings.list().flatMap((def) => def.evaluate(data));
  const rank = new Map<string, number>();
  for (const f of all) if (!rank.has(f.setting)) rank.set(f.setting, rank.size);
  return all
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank.get(a.f.setting)! - rank.get(b.f.setting)! || a.i - b.i)
    .map(({ f }) => f);
}
