export * from './errors.js';
export * from './fake-scheduler.js';
export * from './keepalive.js';
export * from './scheduler.js';
export * from './shared-scheduler.js';
