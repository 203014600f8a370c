// What a finding is: one published claim the runs can test, with the code that reads the rows and
// returns a sentence with the numbers and a verdict for each setting it applies to (none when the
// data cannot test it). One file per claim, collected in a registry like the figures.
import type { ReportData } from '../rows.js';
import type { Finding } from '../verdict.js';

export interface FindingDefinition {
  /** The claim's id, unique: findings of this claim carry it. */
  name: string;
  /** The published claim, in short, with its source. */
  claim: string;
  evaluate(data: ReportData): Finding[];
}
