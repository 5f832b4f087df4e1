export * from './errors.js';
export * from './fake-scheduler.js';
export * from './keepalive.js';
export { lateSlackMs } from './options.js';
export * from './scheduler.js';
export * from './shared-scheduler.js';
export { createWorkerTimers, type WorkerTimers } from './worker-timers.js';
