// Node entry: TCP, TLS and WebSocket (`ws`) adapters. Browsers get `browser.ts` instead.
export * from './errors.js';
export { open } from './open.js';
export * from './types.js';
