// Append-only tidy CSV logs (metrics.csv, layers.csv). Each batch of rows is formatted by fast-csv
// and appended with one write, so a killed process leaves at most a torn *last* line; on resume the
// torn line and every row past the checkpoint's step are dropped before appending again.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { parseString, writeToString } from 'fast-csv';
import { WriteError, writeFileAtomic } from '../ground/atomic.js';

export class CsvLog<Row extends object> {
  constructor(
    readonly path: string,
    readonly columns: readonly (keyof Row & string)[],
  ) {}

  /** Starts a fresh file with its header, or (resuming) keeps the existing rows that `keep` accepts. */
  async open(keep: ((row: Record<string, string>) => boolean) | null): Promise<void> {
    if (keep === null || !existsSync(this.path)) {
      writeFileAtomic(this.path, this.columns.join(',') + '\n');
      return;
    }
    const kept = (await readCsv<Record<string, string>>(this.path)).filter(keep);
    writeFileAtomic(this.path, this.columns.join(',') + '\n' + (await formatRows(kept, this.columns)));
  }

  async append(rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const text = await formatRows(rows, this.columns);
    try {
      appendFileSync(this.path, text); // loops until every byte is written, or throws
    } catch (err) {
      // A torn last line is dropped when the run resumes, like one left by kill -9.
      const e = err as NodeJS.ErrnoException;
      throw new WriteError(
        this.path,
        e.code,
        e.code === 'ENOSPC' ? 'no space left on device (ENOSPC)' : e.message,
      );
    }
  }
}

/** Rows as CSV lines (no header), one per row, each ending in a newline. */
export async function formatRows(rows: object[], columns: readonly string[]): Promise<string> {
  if (rows.length === 0) return '';
  const text = await writeToString(rows as Record<string, unknown>[], {
    headers: columns as string[],
    writeHeaders: false,
  });
  return text + '\n';
}

/** Reads a CSV with a header row; a torn last line (no trailing newline) is dropped. */
export async function readCsv<Row>(path: string): Promise<Row[]> {
  let text = readFileSync(path, 'utf8');
  if (!text.endsWith('\n')) text = text.slice(0, text.lastIndexOf('\n') + 1);
  return new Promise((resolve, reject) => {
    const rows: Row[] = [];
    parseString(text, { headers: true })
      .on('error', (e) => reject(new Error(`${path}: ${e.message}`)))
      .on('data', (r: Row) => rows.push(r))
      .on('end', () => resolve(rows));
  });
}
