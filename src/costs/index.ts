// The architecture-costs module's public API: counts from the built graph, the claims checked, the
// comparison page, and the training-step benchmark.
export {
  analyzeTarget,
  targetGraph,
  targetNetwork,
  type ModelAnalysis,
  type AnalyzeOptions,
} from './analyze.js';
export { countGraph, type Counts, type LayerRow } from './count.js';
export { traceGraph, type Graph, type GraphOp } from './graph.js';
export {
  builtinTarget,
  experimentTargets,
  resolveTargets,
  parseInput,
  type AnalysisTarget,
} from './targets.js';
export { checkClaims, claimAnalyses, type CheckedClaim } from './claims.js';
export { renderArchitecturePage, writeArchitecturePage } from './report.js';
export { runBench, benchJsonLine, checkNoLeak, type BenchOptions, type BenchResult } from './bench.js';
export { timeModel, timePerImage } from './timing.js';
export { CONVENTIONS } from './conventions.js';
export { PUBLISHED, PUBLISHED_CIFAR, SOURCES } from './reference/published.js';
