// Inlined SVGs: the ids they define are renamed per figure, in order, so a page neither mixes up two
// charts' gradients nor depends on how many charts vega drew before in the same process; their
// geometry is rounded to hundredths of a pixel.
import { renderSvg, roundSvgGeometry, scopeSvgIds } from '../../src/report/render.js';

const chart = (n: number) =>
  `<svg><defs><linearGradient id="gradient_${n}"/><clipPath id="clip${n + 1}"/></defs>` +
  `<path fill="url(#gradient_${n})" clip-path="url(#clip${n + 1})"/><use href="#clip${n + 1}"/>` +
  `<text>id="x"</text></svg>`;

test('ids and their references are renamed in order of definition', () => {
  expect(scopeSvgIds(chart(0), 'fig-a')).toBe(
    '<svg><defs><linearGradient id="fig-a-0"/><clipPath id="fig-a-1"/></defs>' +
      '<path fill="url(#fig-a-0)" clip-path="url(#fig-a-1)"/><use href="#fig-a-1"/>' +
      '<text>id="x"</text></svg>',
  );
});

test("the same chart drawn later in the process (vega's counters moved on) gives the same SVG", () => {
  expect(scopeSvgIds(chart(7), 'fig-a')).toBe(scopeSvgIds(chart(0), 'fig-a'));
});

test('a reference to an id the SVG does not define is left alone', () => {
  expect(scopeSvgIds('<svg><path fill="url(#elsewhere)"/></svg>', 'fig-b')).toBe(
    '<svg><path fill="url(#elsewhere)"/></svg>',
  );
});

test('geometry is rounded to hundredths; text, labels and colours keep their digits', () => {
  const svg =
    '<svg width="300" height="200"><g transform="translate(28.333333333333332,0.5)">' +
    '<path d="M28.333333333333332,80.66666666666667h14.166666666666668v-1.8333333333333286h-0.0000001Z" ' +
    'fill="rgb(159, 218, 58)" aria-label="gradient 1.23456789e-11" stroke-width="0.333333"/>' +
    '<text x="1.005" y="-2.999">0.123456789</text></g></svg>';
  expect(roundSvgGeometry(svg)).toBe(
    '<svg width="300" height="200"><g transform="translate(28.33,0.5)">' +
      '<path d="M28.33,80.67h14.17v-1.83h0Z" ' +
      'fill="rgb(159, 218, 58)" aria-label="gradient 1.23456789e-11" stroke-width="0.333333"/>' +
      '<text x="1" y="-3">0.123456789</text></g></svg>',
  );
});

test('a rendered chart carries no coordinate finer than a hundredth of a pixel', async () => {
  const svg = await renderSvg({
    data: { values: [1, 2, 3, 4, 5, 6, 7].map((x) => ({ x, y: 1 / x })) },
    mark: 'bar',
    encoding: { x: { field: 'x', type: 'ordinal' }, y: { field: 'y', type: 'quantitative' } },
    width: 97,
    height: 61,
  });
  const geometry = [...svg.matchAll(/\s(?:d|transform|x|y|width|height)="([^"]*)"/g)].map((m) => m[1]);
  expect(geometry.length).toBeGreaterThan(7);
  expect(geometry.join(' ')).not.toMatch(/\.\d{3}/);
  expect(geometry.join(' ')).toMatch(/\.\d/); // 97 / 7 does not fall on whole pixels
});
