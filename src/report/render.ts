// Vega-Lite spec -> static SVG at build time, headless (renderer 'none': no canvas, no DOM), so
// the report reads with JavaScript off and the PNGs come from the same pixels.
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Prefixes the ids an SVG defines (clip paths, gradients: vega numbers them per process) and its
 * references to them, so several SVGs inlined in one page cannot pick up each other's definitions.
 * Only ids inside tags are touched: vega escapes '<' in text, so chart text never matches.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  const scoped = svg.replace(/(<[a-zA-Z][^<>]*?\s)id="([^"]*)"/g, (_m, head: string, id: string) => {
    ids.add(id);
    return `${head}id="${prefix}-${id}"`;
  });
  return scoped.replace(/(url\(#|href="#)([^)"]+)/g, (m, head: string, id: string) =>
    ids.has(id) ? `${head}${prefix}-${id}` : m,
  );
}
