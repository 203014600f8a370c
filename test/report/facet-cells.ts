// What each panel of a faceted figure holds, read from vega's scenegraph (headless): every cell with
// the header labels drawn above and beside it (matched by position) and the data of the items drawn in
// it. A figure whose cells sit under the wrong headers shows here as a cell whose items name another net.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

interface SceneItem {
  x?: number;
  y?: number;
  text?: string;
  datum?: Record<string, unknown>;
  items?: SceneItem[];
  marktype?: string;
  name?: string;
  role?: string;
}

export interface FacetCell {
  column: string | null;
  row: string | null;
  /** The data of every line, area and point drawn in the cell. */
  datums: Record<string, unknown>[];
}

function find(item: SceneItem, test: (mark: SceneItem) => boolean, out: SceneItem[] = []): SceneItem[] {
  for (const child of item.items ?? []) {
    if (test(child)) out.push(child);
    else find(child, test, out);
  }
  return out;
}

/** A header's label (its title text; the axes vega-lite puts in headers are left out). */
const headerLabels = (item: SceneItem): string[] =>
  find(item, (m) => m.marktype === 'text' && m.role === 'title-text').flatMap((m) =>
    (m.items ?? []).map((t) => String(t.text ?? '')),
  );

function leafDatums(item: SceneItem): Record<string, unknown>[] {
  return find(item, (m) => ['line', 'area', 'symbol'].includes(m.marktype ?? '')).flatMap((m) =>
    (m.items ?? []).flatMap((i) => (i.datum ? [i.datum] : [])),
  );
}

/** The cells of the first facet in `spec` (the first vconcat part that has one). */
export async function facetCells(spec: TopLevelSpec): Promise<FacetCell[]> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    await view.runAsync();
    const root = (view.scenegraph() as unknown as { root: SceneItem }).root;
    const scope = find(root, (m) => m.marktype === 'group' && m.name?.endsWith('cell') === true)[0];
    if (!scope) throw new Error('no facet cells in this figure');
    const parent = find(root, (m) => (m.items ?? []).some((i) => i === scope)).at(0) ?? root;
    const headers = (role: string) =>
      find(parent, (m) => m.marktype === 'group' && m.role === role).flatMap((m) => m.items ?? []);
    const columns = headers('column-header');
    const rows = headers('row-header');
    const label = (hs: SceneItem[], at: (h: SceneItem) => boolean) => {
      const h = hs.find(at);
      return h ? (headerLabels(h)[0] ?? null) : null;
    };
    return (scope.items ?? []).map((cell) => ({
      column: label(columns, (h) => h.x === cell.x),
      row: label(rows, (h) => h.y === cell.y),
      datums: leafDatums(cell),
    }));
  } finally {
    view.finalize();
  }
}
