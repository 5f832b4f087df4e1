/**
 * `@mqttkit/otel`: OpenTelemetry traces and metrics for `@mqttkit/client`, through the client's
 * instrumentation hook. `@opentelemetry/api` is a peer dependency: the application brings its
 * own SDK.
 */
export * from './attributes.js';
export { messageContext } from './consumer.js';
export { destinationFromFilters } from './destination.js';
export { INSTRUMENTATION_NAME, instrumentClient } from './instrument.js';
export type { Destination, MqttInstrumentationOptions } from './options.js';
