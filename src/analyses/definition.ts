// An analysis of trained runs (lesion, loss landscape, ...): one definition each, registered by
// name, run the same way by its command and by `gradflow run` after training. Each writes tidy rows
// to <run>/<name>.csv and, beside them, <name>.json with its settings and the run's fingerprint, so a
// finished analysis is not redone and a changed one (other settings, a retrained run) is.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import { writeFileAtomic, writeJsonAtomic } from '../ground/atomic.js';
import { formatRows } from '../store/csv-log.js';
import { readManifest } from '../store/run-dir.js';

/** skipped: the run is not one this analysis measures (not completed, no checkpoint); failed: it is, and could not. */
export type AnalysisOutcome<Row> =
  | { status: 'done'; rows: Row[] }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string };

export interface AnalysisDefinition<
  Settings extends object = Record<string, unknown>,
  Row extends object = object,
> {
  name: string;
  description: string;
  /** The settings an experiment file or the command may give, with their defaults. */
  settings: z.ZodType<Settings>;
  columns: readonly string[];
  /** It measures the net as its run starts, so any run with a manifest will do, trained or not. */
  atInitialisation?: boolean;
  run(
    runDir: string,
    settings: Settings,
    onProgress?: (done: number, total: number) => void,
  ): Promise<AnalysisOutcome<Row>>;
  /** One line about a run's rows, for the log. */
  summary(rows: Row[]): string;
}

const recordOf = (runDir: string, settings: object): string =>
  JSON.stringify({ ...settings, run: readManifest(runDir)?.fingerprint ?? null });

/** Whether <name>.csv already holds these settings' results for this run. */
export function upToDate(def: AnalysisDefinition<object>, runDir: string, settings: object): boolean {
  const record = join(runDir, `${def.name}.json`);
  if (!existsSync(join(runDir, `${def.name}.csv`)) || !existsSync(record)) return false;
  try {
    return JSON.stringify(JSON.parse(readFileSync(record, 'utf8'))) === recordOf(runDir, settings);
  } catch {
    return false;
  }
}

/**
 * Runs an analysis on each run directory, skipping up-to-date ones; one line per run to `log`. A run
 * it failed on gets no rows (so the next attempt tries again) and is returned by id.
 */
export async function analyseRuns<S extends object, R extends object>(
  def: AnalysisDefinition<S, R>,
  dirs: string[],
  settings: S,
  opts: { force?: boolean; log: (line: string) => void },
): Promise<{ failed: string[] }> {
  const failed: string[] = [];
  for (const dir of dirs) {
    const id = basename(dir);
    if (!opts.force && upToDate(def as AnalysisDefinition<object>, dir, settings)) {
      opts.log(`${def.name} up to date ${id}`);
      continue;
    }
    const t0 = Date.now();
    const outcome = await def.run(dir, settings, (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${id}: ${def.name} ${done}/${total}`);
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    if (outcome.status === 'skipped') {
      opts.log(`${def.name} skipped ${id}: ${outcome.reason}`);
      continue;
    }
    if (outcome.status === 'failed') {
      opts.log(`${def.name} FAILED ${id}: ${outcome.reason}`);
      failed.push(id);
      continue;
    }
    const csv = def.columns.join(',') + '\n' + (await formatRows(outcome.rows, def.columns));
    writeFileAtomic(join(dir, `${def.name}.csv`), csv);
    writeJsonAtomic(join(dir, `${def.name}.json`), JSON.parse(recordOf(dir, settings)));
    opts.log(`${def.name} ${id}: ${def.summary(outcome.rows)}, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  return { failed };
}
