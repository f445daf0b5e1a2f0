export * from './width.js';
export * from './time.js';
export * from './numbers.js';
export * from './states.js';
export * from './graphs.js';
export * from './columns.js';
