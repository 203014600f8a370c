export * from './config/schema.js';
export type * from './store/types.js';
export { registerBlock, getBlock, listBlocks } from './blocks/registry.js';
export type * from './blocks/types.js';
export { buildModel, traceModel, networkFor } from './models/index.js';
export type * from './models/types.js';
export type { Trace, OpRecord, OpType, ParamSpec, LayerSpec } from './models/index.js';
export { loadPlugins } from './plugins.js';
export type { PluginApi } from './plugins.js';
