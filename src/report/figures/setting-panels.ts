// Small multiples over settings: the figures that compare nets side by side (error against depth,
// training curves, layer responses) give each setting of the report its own row of panels.
import { rankedFacet, withFacetRanks } from './figure.js';

/**
 * Small multiples of `spec` over `values`: a column of panels per value of `column.field` (in
 * `column.order`), and a row per setting when the values come from more than one (a lone one is '').
 */
export function settingPanels(
  values: readonly { setting?: unknown }[],
  column: { field: string; order: readonly string[] },
  spec: Record<string, unknown>,
  /** Each panel its own x scale: where settings train for different lengths, a short run fills its panel. */
  independentX = false,
) {
  const settings = values.some((v) => v.setting !== '');
  return {
    ...(independentX ? { resolve: { scale: { x: 'independent' } } } : {}),
    data: { values: withFacetRanks(values, { [column.field]: column.order }) },
    facet: {
      column: rankedFacet(column.field),
      ...(settings ? { row: { field: 'setting', type: 'nominal', title: null } } : {}),
    },
    spec,
  };
}
