// The page writes long chart data as packed rows (keys once, rows as arrays); the page's own reviver
// must give back exactly the specs the figures built, for every figure.
import { figuresFor, REPORT_STATS } from '../../src/report/figures/index.js';
import { packRows, ROWS_REVIVER } from '../../src/report/packed-rows.js';
import { loadResults } from '../../src/report/load.js';
import { removeTempDirs, tempDir, writeTransferFixture } from './fake-results.js';

afterAll(removeTempDirs);

// The reviver is browser JavaScript in a string: evaluate the very text the page ships.
const reviver = new Function(`return ${ROWS_REVIVER}`)() as (key: string, value: unknown) => unknown;
const throughPage = (spec: unknown) => JSON.parse(JSON.stringify(packRows(spec)), reviver);
const asJson = (spec: unknown) => JSON.parse(JSON.stringify(spec));

const ROWS = [
  { run: 'cifar-plain-d20-s0', note: 'a, "quoted"\nline', flag: true, value: 1e-11, nested: { a: [1] } },
  { note: '', run: 'true', flag: false, value: null, nested: { a: [] } },
  { run: ' padded ', note: 'NaN', flag: true, value: 0.1 + 0.2, nested: null },
];

test('rows are written once per key and come back as the same objects', () => {
  const packed = packRows({ data: { values: ROWS, name: 'points' }, mark: 'point' });
  expect(packed.data.values).toEqual({
    'gradflow:columns': ['run', 'note', 'flag', 'value', 'nested'],
    rows: ROWS.map((r) => [r.run, r.note, r.flag, r.value, r.nested]),
  });
  expect(packed.data.name).toBe('points');
  expect(throughPage({ data: { values: ROWS } })).toEqual({ data: { values: ROWS } });
  expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify({ data: { values: ROWS } }).length);
});

test('data nested in layers and concatenations is packed; the input is not changed', () => {
  const spec = {
    hconcat: [{ layer: [{ data: { values: ROWS }, mark: 'point' }] }],
    vconcat: [
      { data: { values: ROWS }, mark: 'line', encoding: { x: { field: 'value', axis: { values: [1, 2] } } } },
    ],
  };
  const packed = packRows(spec) as unknown as { hconcat: { layer: { data: { values: unknown } }[] }[] };
  expect(Array.isArray(packed.hconcat[0].layer[0].data.values)).toBe(false);
  expect(throughPage(spec)).toEqual(asJson(spec));
  expect(spec.vconcat[0].data.values).toBe(ROWS);
});

test.each([
  ['a row missing a key', [{ a: 1, b: 2 }, { a: 1 }]],
  ['an undefined value (JSON drops its key)', [{ a: 1 }, { a: undefined }]],
  ['scalars, not objects', [1, 2, 3]],
  ['one row', [{ a: 1 }]],
])('%s: the rows are left as they are', (_why, values) => {
  expect(packRows({ data: { values } })).toEqual({ data: { values } });
  expect(throughPage({ data: { values } })).toEqual(asJson({ data: { values } }));
});

// The depth-study gallery has every figure but transfer's; the transfer fixture has those.
test.each([
  ['the depth-study gallery', async () => 'docs/gallery/fashion-mnist-degradation'],
  ['a transfer sweep', async () => writeTransferFixture(await tempDir('packed-rows'))],
])('every figure of %s comes back through the page as the spec it built, smaller', async (_name, results) => {
  const data = await loadResults([await results()], { stats: REPORT_STATS });
  let [packedBytes, jsonBytes] = [0, 0];
  for (const figure of figuresFor(data)) {
    const spec = figure.build(data);
    expect({ id: figure.id, spec: throughPage(spec) }).toEqual({ id: figure.id, spec: asJson(spec) });
    packedBytes += JSON.stringify(packRows(spec)).length;
    jsonBytes += JSON.stringify(spec).length;
  }
  expect(packedBytes).toBeLessThan(0.8 * jsonBytes);
});
