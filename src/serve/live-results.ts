// The report's data, kept up to date while sweeps write it: each poll re-reads the manifests (small)
// and reads every CSV from where the last poll stopped, so a poll costs what was appended, not
// what is there. The rows are the report's own (the same readers as `gradflow report`).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { scanCsvLines } from '../report/csv.js';
import {
  findRunDirs,
  paddingNote,
  readRuns,
  RUN_CSV_FILES,
  runCsvRows,
  type RowSource,
  type RunCsvFile,
  type RunCsvRows,
} from '../report/load.js';
import { emptyReportData, facetsOf, type ReportData, type RunInfo } from '../report/rows.js';
import { GrowingFile } from './growing-file.js';

/** What a poll changed: the runs (a manifest, a run come or gone) and which row arrays. */
export interface ResultsChange {
  runs: boolean;
  rows: Set<RowSource>;
}

export interface LiveResultsOptions {
  /** layers.csv statistics kept at every step (the report's); others at the last probe only. */
  stats?: readonly string[];
  /** The block others are compared against, once a run uses it (report --baseline). */
  baseline?: string;
}

interface CsvState {
  file: GrowingFile;
  rows: RunCsvRows;
  header?: string[];
  /** Set when the file cannot be read as its kind (a missing column): ignored until rewritten. */
  broken?: string;
}

interface RunState {
  info: RunInfo;
  /** The facets and directory its rows were joined with: rows are re-read when these change. */
  key: string;
  manifest: string;
  csvs: Map<RunCsvFile, CsvState>;
}

const CSV_FILES = Object.entries(RUN_CSV_FILES) as [RunCsvFile, RowSource][];

export class LiveResults {
  private runs = new Map<string, RunState>(); // by run directory
  private notes: string[] = [];
  private snapshot: ReportData | null = null;
  private readonly stats: ReadonlySet<string> | null;

  constructor(
    readonly dirs: readonly string[],
    private readonly options: LiveResultsOptions = {},
  ) {
    this.stats = options.stats ? new Set(options.stats) : null;
  }

  /** Reads what changed on disk since the last poll. */
  async poll(): Promise<ResultsChange> {
    const change: ResultsChange = { runs: false, rows: new Set() };
    const notes: string[] = [];
    const runDirs: string[] = [];
    for (const dir of this.dirs) {
      if (!(await stat(dir).catch(() => null))?.isDirectory()) {
        notes.push(`${dir} does not exist yet: waiting for a sweep to create it`);
        continue;
      }
      // A sweep may create or remove a run directory while it is listed: the next poll sees it whole.
      runDirs.push(...(await findRunDirs(dir, 2, notes).catch(() => [])));
    }
    const infos = await readRuns(runDirs, notes);
    const present = new Set(infos.map((r) => r.dir));
    for (const dir of [...this.runs.keys()].filter((d) => !present.has(d))) {
      for (const [file, source] of CSV_FILES) if (this.runs.get(dir)!.csvs.has(file)) change.rows.add(source);
      this.runs.delete(dir);
      change.runs = true;
    }
    for (const info of infos) {
      const key = JSON.stringify([info.dir, facetsOf(info)]);
      const manifest = JSON.stringify(info.manifest);
      let state = this.runs.get(info.dir);
      if (state?.key !== key) {
        // New, or its facets changed (another block joined the report): its rows are read afresh.
        if (state) for (const [file, source] of CSV_FILES) if (state.csvs.has(file)) change.rows.add(source);
        state = { info, key, manifest, csvs: new Map() };
        this.runs.set(info.dir, state);
        change.runs = true;
      } else if (state.manifest !== manifest) {
        state.info.manifest = info.manifest;
        state.manifest = manifest;
        change.runs = true;
      }
      for (const [file, source] of CSV_FILES) {
        if (await this.readCsv(state, file, notes)) change.rows.add(source);
      }
    }
    // Torn last lines are expected while runs write: they are read at the next poll, not noted.
    const padding = paddingNote(infos);
    if (padding) notes.push(padding);
    const notesChanged = JSON.stringify(notes) !== JSON.stringify(this.notes);
    this.notes = notes;
    if (change.runs || change.rows.size > 0 || notesChanged) this.snapshot = null;
    change.runs ||= notesChanged;
    return change;
  }

  /** The report's data as of the last poll. */
  data(): ReportData {
    if (this.snapshot) return this.snapshot;
    const data = emptyReportData();
    data.notes = [...this.notes];
    for (const state of this.runs.values()) {
      data.runs.push(state.info);
      for (const [file, source] of CSV_FILES) {
        const rows = state.csvs.get(file)?.rows.rows() ?? [];
        const into = data[source] as unknown[];
        for (const row of rows) into.push(row);
      }
    }
    const { baseline } = this.options;
    if (baseline !== undefined) {
      if (data.runs.some((r) => r.block === baseline)) data.baseline = baseline;
      else data.notes.push(`--baseline ${baseline}: no run uses that block yet`);
    }
    return (this.snapshot = data);
  }

  /** Reads one CSV's new lines into its rows; true when its rows may have changed. */
  private async readCsv(state: RunState, file: RunCsvFile, notes: string[]): Promise<boolean> {
    let csv = state.csvs.get(file);
    const growing = csv?.file ?? new GrowingFile(join(state.info.dir, file));
    const read = await growing.read().catch((err: Error) => {
      notes.push(`${growing.path}: ${err.message}`);
      return null;
    });
    if (read === null) return false;
    if (!csv || read.restarted) {
      csv = { file: growing, rows: runCsvRows(state.info, file, this.stats) };
      state.csvs.set(file, csv);
    }
    if (csv.broken === undefined && read.text.length > 0) {
      try {
        const scan = await scanCsvLines(read.text, csv.rows.reader, {
          ...csv.rows.options,
          header: csv.header,
        });
        csv.header = scan.header;
      } catch (err) {
        csv.broken = (err as Error).message;
      }
    }
    if (csv.broken !== undefined) notes.push(csv.broken);
    return read.restarted || read.text.length > 0;
  }
}
