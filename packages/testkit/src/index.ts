// Test helpers shared by the packages' tests. Never a runtime dependency of a published package.
export * from './aedes.js';
export * from './certs.js';
export * from './fault-proxy.js';
export * from './mosquitto.js';
export * from './mosquitto-dynsec.js';
