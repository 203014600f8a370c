// A figure's `reads` is what a live view trusts to skip rebuilding it: a figure built with every
// row array it does not declare emptied must be the very same spec.
import { FIGURES } from '../../src/report/figures/index.js';
import { loadResults, RUN_CSV_FILES, type RowSource } from '../../src/report/load.js';
import type { ReportData } from '../../src/report/rows.js';
import { removeTempDirs, tempDir, writeStandardFixture, writeTransferFixture } from './fake-results.js';

afterAll(removeTempDirs);

const SOURCES = Object.values(RUN_CSV_FILES) as RowSource[];

const without = (data: ReportData, keep: readonly RowSource[]): ReportData => ({
  ...data,
  ...Object.fromEntries(SOURCES.filter((s) => !keep.includes(s)).map((s) => [s, []])),
});

test.each([
  ['standard', writeStandardFixture],
  ['transfer', (root: string) => writeTransferFixture(root, true)],
])(
  'every figure that declares its rows builds the same from those rows alone (%s fixture)',
  async (name, write) => {
    const data = await loadResults([await write(await tempDir(`reads-${name}`))]);
    const declared = FIGURES.filter((f) => f.reads !== undefined && (f.applies?.(data) ?? true));
    expect(declared.length).toBeGreaterThan(0);
    for (const figure of declared) {
      const full = JSON.stringify(figure.build(data));
      expect([figure.id, JSON.stringify(figure.build(without(data, figure.reads!)))]).toEqual([
        figure.id,
        full,
      ]);
    }
  },
);

test('the fixtures feed every row array a figure may declare, so the check above can fail', async () => {
  const data = await loadResults([await writeStandardFixture(await tempDir('reads-all'))]);
  for (const source of ['metrics', 'layers'] as const) expect(data[source].length).toBeGreaterThan(0);
});
