// Reading the results CSVs (metrics.csv, layers.csv) row by row. A run that is still writing (or
// was killed) may end in a torn line: a file that does not end with a newline has its last line
// dropped, and the caller is told.
import { readFile } from 'node:fs/promises';
import { parseString } from 'fast-csv';

export interface CsvScan {
  header: string[];
  rows: number;
  tornLine: boolean;
}

export interface ScanOptions {
  /**
   * Skip, without splitting, data lines that contain none of these substrings (e.g. ',grad_norm,'):
   * a cheap first cut when most rows are not wanted. The reader still checks the exact cell.
   */
  prefilter?: readonly string[];
  /**
   * Keep, whatever the prefilter says, the lines whose first cell is the last line's: in a file
   * written in step order, every row of the final step.
   */
  keepLastKey?: boolean;
}

/** Given the header, returns the function that takes each data row's cells. */
export type RowReader = (header: string[]) => (cells: string[]) => void;

/**
 * Feeds every data row of a CSV to the reader made from its header. fast-csv costs ~12 us a row,
 * too slow for a sweep's layers.csv (millions of rows): files without a quote character need no
 * unquoting, so they are split by hand, line by line, without holding all rows at once.
 */
export async function scanCsv(path: string, reader: RowReader, options: ScanOptions = {}): Promise<CsvScan> {
  let text = await readFile(path, 'utf8');
  let tornLine = false;
  if (text.length > 0 && !text.endsWith('\n')) {
    text = text.slice(0, text.lastIndexOf('\n') + 1);
    tornLine = true;
  }
  return { ...(await scanCsvLines(text, reader, options)), tornLine };
}

/**
 * scanCsv over text of whole lines. With `header` given, the text holds data lines only (a later
 * part of a file whose header was read before: a file that grows).
 */
export async function scanCsvLines(
  text: string,
  reader: RowReader,
  options: ScanOptions & { header?: string[] } = {},
): Promise<Omit<CsvScan, 'tornLine'>> {
  if (options.header !== undefined && text.includes('"')) {
    const rows = await parseQuoted(text);
    rows.forEach(reader(options.header));
    return { header: options.header, rows: rows.length };
  }
  if (text.includes('"')) {
    const [header = [], ...rows] = await parseQuoted(text);
    rows.forEach(reader(header));
    return { header, rows: rows.length };
  }
  let prefix: string | undefined;
  if (options.keepLastKey) {
    const lastLine = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
    const comma = lastLine.indexOf(',');
    const hasDataLine = options.header !== undefined || text.indexOf('\n') < text.length - 1;
    if (comma > 0 && hasDataLine) prefix = lastLine.slice(0, comma + 1);
  }
  let header: string[] | null = options.header ?? null;
  let onRow: (cells: string[]) => void = header ? reader(header) : () => {};
  let rows = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end; // \r\n
    const line = lineEnd > start ? text.slice(start, lineEnd) : '';
    if (line && (header === null || wanted(line, options.prefilter, prefix))) {
      const cells = line.split(',');
      if (header === null) {
        header = cells;
        onRow = reader(header);
      } else {
        onRow(cells);
        rows++;
      }
    }
    start = end + 1;
  }
  return { header: header ?? [], rows };
}

function wanted(line: string, needles: readonly string[] | undefined, prefix: string | undefined): boolean {
  return !needles || needles.some((needle) => line.includes(needle)) || (!!prefix && line.startsWith(prefix));
}

function parseQuoted(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString<string[], string[]>(text, { headers: false, ignoreEmpty: true })
      .on('data', (row: string[]) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}

/** Column positions of `wanted` in `header`; throws naming the file and the missing column. */
export function columnIndex(header: string[], wanted: readonly string[], path: string): number[] {
  return wanted.map((name) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`${path}: missing column "${name}" (header: ${header.join(',')})`);
    return at;
  });
}
