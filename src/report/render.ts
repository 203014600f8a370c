// Vega-Lite spec -> static SVG at build time, headless (renderer 'none': no canvas, no DOM), so
// the report reads with JavaScript off and the PNGs come from the same pixels.
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return roundSvgGeometry(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Geometry attributes whose numbers vega writes at full double precision. */
const GEOMETRY_ATTRIBUTE = /(\s(?:d|transform|x|y|x1|x2|y1|y2|dx|dy|width|height)=")([^"]*)"/g;
const DECIMAL = /-?\d*\.\d+(?:e[-+]?\d+)?/gi;

/**
 * Rounds the coordinates in an SVG's geometry attributes to `decimals` places: vega prints them at
 * full precision ("28.333333333333332"), which is most of a large chart's bytes and draws the
 * same at a hundredth of a pixel. Text, labels and colours are left as they are.
 */
export function roundSvgGeometry(svg: string, decimals = 2): string {
  const round = (text: string) => {
    const value = Number(Number(text).toFixed(decimals));
    return Object.is(value, -0) ? '0' : String(value);
  };
  return svg.replace(/<[a-zA-Z][^<>]*>/g, (tag) =>
    tag.replace(
      GEOMETRY_ATTRIBUTE,
      (_m, head: string, value: string) => `${head}${value.replace(DECIMAL, round)}"`,
    ),
  );
}

/**
 * Renames the ids an SVG defines (clip paths, gradients) and its references to them to
 * `<prefix>-<n>`, n counting definitions in order: several SVGs inlined in one page cannot pick up
 * each other's definitions, and the page does not depend on how many charts vega drew before in
 * this process (it numbers gradients per process). Only ids inside tags are touched: vega escapes
 * '<' in text, so chart text never matches.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  const scoped = svg.replace(/(<[a-zA-Z][^<>]*?\s)id="([^"]*)"/g, (_m, head: string, id: string) => {
    if (!ids.has(id)) ids.set(id, `${prefix}-${ids.size}`);
    return `${head}id="${ids.get(id)}"`;
  });
  return scoped.replace(/(url\(#|href="#)([^)"]+)/g, (m, head: string, id: string) => {
    const renamed = ids.get(id);
    return renamed === undefined ? m : `${head}${renamed}`;
  });
}
