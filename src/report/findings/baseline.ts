// A user's block against a baseline: where a report holds several blocks, each one's final training
// error at each depth against the baseline block's (report --baseline; default: the built-in residual
// block present, basic first), on the 95% Welch interval of the difference of seed means.
import { formatPct, groupBy } from '../aggregate.js';
import type { ReportData, RunInfo } from '../rows.js';
import { compareAbove, describe } from '../verdict.js';
import { byDepth, settingOf, settingTag, trainErrorIn } from './depth-groups.js';
import { defineFinding, type SettingJudgement } from './finding.js';

const CLAIM = 'a block against the baseline block: lower final training error at the same depth';

/** Built-in residual blocks in the order a default baseline is taken from. */
const BUILTIN_BASELINES = ['basic', 'bottleneck', 'preact', 'rezero', 'skipinit', 'fixup'];

/** The baseline block of these runs: the one asked for, else the first built-in residual block present. */
export function baselineBlock(runs: readonly RunInfo[], asked?: string): string | null {
  const blocks = new Set(runs.map((r) => r.block));
  if (asked !== undefined) return blocks.has(asked) ? asked : null;
  return BUILTIN_BASELINES.find((b) => blocks.has(b)) ?? null;
}

function judgements(data: ReportData): SettingJudgement[] {
  const scratch = data.runs.filter((r) => !r.manifest.config?.transfer);
  const out: SettingJudgement[] = [];
  for (const [setting, runs] of groupBy(scratch, settingOf(data))) {
    const baseline = baselineBlock(runs, data.baseline);
    if (baseline === null) continue;
    // Blocks against the baseline block; plain against residual is the paper's own finding.
    const others = runs.filter((r) => r.residual && r.block !== baseline);
    if (others.length === 0) continue;
    const base = byDepth(
      runs.filter((r) => r.block === baseline),
      trainErrorIn(data),
    );
    for (const [block, blockRuns] of groupBy(others, (r) => r.block)) {
      for (const [depth, s] of byDepth(blockRuns, trainErrorIn(data))) {
        const b = base.get(depth);
        if (!b) continue;
        // baseline minus block: positive when the block trains better.
        const c = compareAbove(b, s, formatPct);
        out.push({
          setting,
          verdict: c.verdict,
          text:
            `${settingTag(setting)}${block}-${depth} ends at ${describe(s, formatPct)} training error vs ` +
            `${describe(b, formatPct)} for ${baseline}-${depth} (${baseline} minus ${block}: ${c.why}): ` +
            `${block} below ${baseline} ${c.verdict}.`,
        });
      }
    }
  }
  return out;
}

export const baselineComparison = defineFinding('baseline', CLAIM, judgements);
