// What a finding is: one published claim the runs can test, with the code that reads the rows and
// returns a sentence with the numbers and a verdict for each setting it applies to (none when the
// data cannot test it). One file per claim, collected in a registry like the figures; the claim's
// id and text are attached to each setting's judgement in one place (defineFinding).
import type { ReportData } from '../rows.js';
import type { Finding } from '../verdict.js';

export interface FindingDefinition {
  /** The claim's id, unique: findings of this claim carry it. */
  name: string;
  /** The published claim, in short, with its source. */
  claim: string;
  evaluate(data: ReportData): Finding[];
}

/** What the data says of a claim in one setting: the verdict and the sentence with the numbers. */
export type Judgement = Pick<Finding, 'verdict' | 'text'>;

/** A judgement with the setting it is about ('' when the report has one setting). */
export type SettingJudgement = Pick<Finding, 'setting'> & Judgement;

/** A claim whose findings all carry its name and claim: `judge` reads the data, a judgement a setting. */
export function defineFinding(
  name: string,
  claim: string,
  judge: (data: ReportData) => SettingJudgement[],
): FindingDefinition {
  return {
    name,
    claim,
    evaluate: (data) =>
      judge(data).map(({ setting, verdict, text }) => ({ id: name, claim, setting, verdict, text })),
  };
}
