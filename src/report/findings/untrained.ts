// Claims about trained nets (degradation, depth trends, responses after training, lesion, landscape)
// say nothing where no net of a setting trained: a pair of nets at chance agree or differ by noise.
// Such a setting's finding keeps its numbers and says so instead of giving a verdict.
import { formatPct, groupBy, spread } from '../aggregate.js';
import type { ReportData, RunInfo } from '../rows.js';
import type { Finding } from '../verdict.js';
import { depthGroups, settingOf, trainErrorIn } from './depth-groups.js';
import type { FindingDefinition } from './finding.js';

/** A net whose final training error is within this of chance error has not trained. */
export const CHANCE_MARGIN = 0.02;

/** Error of guessing one class, 1 - 1/classes, from the manifest (or the classes the config keeps); else null. */
export function chanceError(run: RunInfo): number | null {
  const classes = run.manifest.classes ?? run.manifest.config?.data?.classes?.length;
  return classes ? 1 - 1 / classes : null;
}

/** Why these runs cannot test a claim about trained nets (every one ended at chance), or null. */
export function untrainedNote(data: ReportData, runs: readonly RunInfo[]): string | null {
  if (runs.length === 0) return null;
  const errors = runs.map(trainErrorIn(data));
  const chances = runs.map(chanceError);
  const atChance = runs.every((_, i) => {
    const chance = chances[i];
    return chance !== null && Number.isFinite(errors[i]) && errors[i] >= chance - CHANCE_MARGIN;
  });
  if (!atChance) return null;
  const s = spread(errors);
  return (
    `no net here trained: every run ends at chance (final training error ${formatPct(s.min)}–${formatPct(s.max)}, ` +
    `chance ${formatPct(Math.min(...(chances as number[])))}), so this is not a verdict on trained nets`
  );
}

/** The runs behind each finding setting: a setting's runs, and each block-against-plain group's. */
function runsBySetting(data: ReportData): Map<string, RunInfo[]> {
  const scratch = data.runs.filter((r) => !r.manifest.config?.transfer);
  const out = new Map(groupBy(scratch, settingOf(data)));
  for (const group of depthGroups(data)) out.set(group.setting, group.runs);
  return out;
}

/** `def`, whose findings in a setting where no net trained say so, verdict 'not established'. */
export function aboutTrainedNets(def: FindingDefinition): FindingDefinition {
  return {
    ...def,
    evaluate(data): Finding[] {
      const runs = runsBySetting(data);
      return def.evaluate(data).map((finding) => {
        const note = untrainedNote(data, runs.get(finding.setting) ?? []);
        if (note === null) return finding;
        return {
          ...finding,
          verdict: 'not established',
          text: `${finding.text.replace(/\.$/, '')}; but ${note}.`,
        };
      });
    },
  };
}
