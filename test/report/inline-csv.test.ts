// The page carries long chart data as CSV text: it must read back as the very same rows, and every
// figure must draw the same picture from it as from the JSON rows.
import { read } from 'vega';
import { figuresFor, REPORT_STATS } from '../../src/report/figures/index.js';
import { inlineDataAsCsv } from '../../src/report/inline-csv.js';
import { loadResults } from '../../src/report/load.js';
import { renderSvg, scopeSvgIds } from '../../src/report/render.js';
import { removeTempDirs, tempDir, writeTransferFixture } from './fake-results.js';

afterAll(removeTempDirs);

interface CsvData {
  values: string;
  format: { type: string; parse: Record<string, string> };
}

const ROWS = [
  { run: 'cifar-plain-d20-s0', note: 'a, "quoted"\nline', code: '007', flag: true, value: 1e-11, n: 3 },
  { run: 'true', note: '', code: '1e3', flag: false, value: -0.25, n: 1e21 },
  { run: ' padded ', note: 'NaN', code: 'null', flag: true, value: 0.1 + 0.2, n: -7 },
];

test('rows read back by vega exactly: strings stay strings, numbers and booleans keep their values', () => {
  const { data } = inlineDataAsCsv({ data: { values: ROWS }, mark: 'point' }) as unknown as { data: CsvData };
  expect(typeof data.values).toBe('string');
  expect(data.format).toEqual({ type: 'csv', parse: { flag: 'boolean', value: 'number', n: 'number' } });
  expect(read(data.values, data.format)).toEqual(ROWS);
  expect(data.values.length).toBeLessThan(JSON.stringify(ROWS).length);
});

test('data nested in layers and concatenations is written as CSV; other keys are kept', () => {
  const spec = {
    hconcat: [{ layer: [{ data: { values: ROWS, name: 'points' }, mark: 'point' }] }],
    vconcat: [{ data: { values: ROWS }, mark: 'line', encoding: { x: { field: 'n' } } }],
  };
  const out = inlineDataAsCsv(spec) as unknown as {
    hconcat: { layer: { data: CsvData & { name: string } }[] }[];
    vconcat: { data: CsvData; encoding: unknown }[];
  };
  expect(out.hconcat[0].layer[0].data.name).toBe('points');
  expect(read(out.hconcat[0].layer[0].data.values, out.hconcat[0].layer[0].data.format)).toEqual(ROWS);
  expect(read(out.vconcat[0].data.values, out.vconcat[0].data.format)).toEqual(ROWS);
  expect(out.vconcat[0].encoding).toEqual({ x: { field: 'n' } });
  expect(spec.vconcat[0].data.values).toBe(ROWS); // the input is not changed
});

test.each([
  ['a missing key', [{ a: 1, b: 2 }, { a: 1 }]],
  ['a null', [{ a: 1 }, { a: null }]],
  ['a nested value', [{ a: [1] }, { a: [2] }]],
  ['a column of mixed types', [{ a: 1 }, { a: '1' }]],
  ['a field name vega-lite reads as a path', [{ 'a.b': 1 }, { 'a.b': 2 }]],
  ['a single row', [{ a: 1 }]],
])('rows with %s stay JSON', (_why, values) => {
  expect(inlineDataAsCsv({ data: { values } })).toEqual({ data: { values } });
});

// The depth-study gallery has every figure but transfer's; the transfer fixture has those.
test.each([
  ['the depth-study gallery', async () => 'docs/gallery/fashion-mnist-degradation'],
  ['a transfer sweep', async () => writeTransferFixture(await tempDir('inline-csv'))],
])(
  'every figure of %s draws the same SVG from the CSV page data as from its JSON rows',
  async (_name, results) => {
    const data = await loadResults([await results()], { stats: REPORT_STATS });
    const shown = figuresFor(data);
    let converted = 0;
    for (const figure of shown) {
      const spec = figure.build(data);
      const compact = inlineDataAsCsv(spec);
      if (JSON.stringify(compact) !== JSON.stringify(spec)) converted++;
      // vega numbers gradients per process: compare the SVGs as the page inlines them
      const drawn = async (v: unknown) => scopeSvgIds(await renderSvg(v as typeof spec), figure.id);
      const [fromCsv, fromJson] = [await drawn(compact), await drawn(spec)];
      expect({ id: figure.id, same: fromCsv === fromJson }).toEqual({ id: figure.id, same: true });
    }
    expect(converted).toBeGreaterThanOrEqual(shown.length - 1);
  },
  120_000,
);
