// The analyses of trained runs, by name: the built-ins (lesion, landscape, shatter) and any registered later.
// An experiment's "analyses" entries are checked against them here, each problem at its JSON path.
import { createRegistry } from '../ground/registry.js';
import type { ConfigProblem } from '../ground/errors.js';
import type { AnalysisDefinition } from './definition.js';
import { landscapeAnalysis } from './landscape.js';
import { lesionAnalysis } from './lesion.js';
import { shatterAnalysis } from './shatter.js';

const analyses = createRegistry<AnalysisDefinition<object, object>>('analysis', {
  plural: 'analyses',
  builtins: () => [
    { file: 'src/analyses/lesion.ts', items: [lesionAnalysis as AnalysisDefinition<object, object>] },
    { file: 'src/analyses/landscape.ts', items: [landscapeAnalysis as AnalysisDefinition<object, object>] },
    { file: 'src/analyses/shatter.ts', items: [shatterAnalysis as AnalysisDefinition<object, object>] },
  ],
});

export const registerAnalysis = <S extends object, R extends object>(def: AnalysisDefinition<S, R>) =>
  analyses.register(def as unknown as AnalysisDefinition<object, object>);
export const getAnalysis = (name: string): AnalysisDefinition<object, object> => analyses.get(name);
export const listAnalyses = (): AnalysisDefinition<object, object>[] => analyses.list();

export interface RequestedAnalysis {
  def: AnalysisDefinition<object, object>;
  settings: object;
}

/** "lesion" or {"name": "lesion", ...settings}: each entry's analysis and its settings with defaults. */
export function resolveAnalyses(entries: unknown[]): {
  analyses: RequestedAnalysis[];
  problems: ConfigProblem[];
} {
  const out: RequestedAnalysis[] = [];
  const problems: ConfigProblem[] = [];
  entries.forEach((entry, i) => {
    const { name, ...given } = typeof entry === 'string' ? { name: entry } : (entry as { name: string });
    if (!analyses.has(name)) {
      problems.push({
        path: `analyses[${i}]`,
        message: `unknown analysis "${name}" (registered: ${analyses.names().join(', ')})`,
      });
      return;
    }
    const def = analyses.get(name);
    const parsed = def.settings.safeParse(given);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ path: [`analyses[${i}]`, ...issue.path].join('.'), message: issue.message });
      }
      return;
    }
    out.push({ def, settings: parsed.data });
  });
  return { analyses: out, problems };
}
