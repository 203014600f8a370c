// Counting what a vega SVG drew: each mark is a <g class="mark-<type> role-mark ..."> whose
// children (paths, texts) are its items; and the check the figures of lines over seed bands share.
export function markItems(svg: string, type: string): number {
  let count = 0;
  const re = new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>([\\s\\S]*?)</g>`, 'g');
  for (const match of svg.matchAll(re)) count += (match[1].match(/<(path|text|line)\b/g) ?? []).length;
  return count;
}

/** The text content of every <text> element, entities decoded. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    m[1]
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  );
}

/** A figure of `count` lines, each over its seed band (an area), showing at least `texts`. */
export function expectLinesWithBands(svg: string, count: number, texts: string[]): void {
  expect(markItems(svg, 'line')).toBe(count);
  expect(markItems(svg, 'area')).toBe(count);
  expect(svgTexts(svg)).toEqual(expect.arrayContaining(texts));
}
