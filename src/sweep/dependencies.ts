// Runs that start from another run of the same experiment (`transfer.from: "@<run id>"`) must run
// after it. The plan checks every such reference; selection (--only, --shard) keeps a run with its
// source so that each invocation, or each task of a job array, can finish what it was given.
import type { RunConfig } from '../config/schema.js';
import type { Problem } from './json-path.js';

/** The id of the run this config transfers from, when it names one of the same experiment. */
export function sourceRunId(config: RunConfig): string | undefined {
  if (config.transfer?.mode === 'scratch') return undefined;
  const from = config.transfer?.from;
  return from?.startsWith('@') ? from.slice(1) : undefined;
}

interface Run {
  id: string;
  config: RunConfig;
}

/** Unknown, self and circular references; `where` gives the JSON path that set a run's source. */
export function dependencyProblems(runs: readonly Run[], where: (id: string) => string): Problem[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const problems: Problem[] = [];
  for (const run of runs) {
    const source = sourceRunId(run.config);
    if (source === undefined) continue;
    if (!byId.has(source)) {
      const near = [...byId.keys()].filter(
        (id) => id !== run.id && sourceRunId(byId.get(id)!.config) === undefined,
      );
      problems.push({
        path: where(run.id),
        message: `run ${run.id} transfers from @${source}, which is not a run of this experiment (runs it could name: ${near.slice(0, 6).join(', ')}${near.length > 6 ? ', ...' : ''})`,
      });
      continue;
    }
    const chain = [run.id];
    for (let id: string | undefined = source; id !== undefined;) {
      if (chain.includes(id)) {
        problems.push({
          path: where(run.id),
          message: `run ${run.id} depends on itself through transfer.from (${[...chain, id].join(' -> ')})`,
        });
        break;
      }
      chain.push(id);
      const next = byId.get(id);
      id = next ? sourceRunId(next.config) : undefined;
    }
  }
  return problems;
}

/** `selected` plus every run of `all` a selected run needs first, in the order of `all`. */
export function withSources<T extends Run>(selected: readonly T[], all: readonly T[]): T[] {
  const byId = new Map(all.map((r) => [r.id, r]));
  const keep = new Set<string>();
  for (const run of selected) {
    for (let id: string | undefined = run.id; id !== undefined && !keep.has(id);) {
      keep.add(id);
      const next = byId.get(id);
      id = next ? sourceRunId(next.config) : undefined;
    }
  }
  return all.filter((r) => keep.has(r.id));
}

/** For each run, the id at the root of its chain of sources (its own id when it names none). */
export function rootRunIds(runs: readonly Run[]): (run: Run) => string {
  const byId = new Map(runs.map((r) => [r.id, r]));
  return (run) => {
    let current = run;
    for (let hops = 0; hops <= byId.size; hops++) {
      const source = sourceRunId(current.config);
      const next = source === undefined ? undefined : byId.get(source);
      if (!next) break;
      current = next;
    }
    return current.id;
  };
}
