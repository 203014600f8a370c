export * from './config/schema.js';
export type * from './store/types.js';
