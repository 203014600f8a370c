// Inlined SVGs: the ids they define are renamed per figure, in order, so a page neither mixes up two
// charts' gradients nor depends on how many charts vega drew before in the same process.
import { scopeSvgIds } from '../../src/report/render.js';

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
