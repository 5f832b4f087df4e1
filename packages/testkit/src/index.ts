// Test helpers shared by the packages' tests. Never a runtime dependency of a published package.
export * from './aedes.js';
export * from './certs.js';
export * from './chromium.js';
export * from './fault-proxy.js';
export * from './frames.js';
export * from './hostile-broker.js';
export * from './mosquitto.js';
export * from './mosquitto-dynsec.js';
export * from './packet-log.js';
export * from './proxies.js';
export * from './static-site.js';
export * from './waiting.js';
