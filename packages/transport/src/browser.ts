// Browser entry: only the WebSocket adapter over the global `WebSocket`. No Node modules, no `ws`.
export * from './errors.js';
export { open } from './open-browser.js';
export * from './types.js';
