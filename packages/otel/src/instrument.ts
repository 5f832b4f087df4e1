/** `instrumentClient`: traces and metrics for one client, through its instrumentation hook. */
import type { MqttClient } from '@mqttkit/client';
import * as A from './attributes.js';
import { consumerHook } from './consumer.js';
import { ClientMetrics } from './metrics.js';
import { type MqttInstrumentationOptions, resolveInstrumentation } from './options.js';
import { producerHook } from './producer.js';

/** The instrumentation scope name (the tracer's and the meter's). */
export const INSTRUMENTATION_NAME = '@mqttkit/otel';

/**
 * Instruments `client`: a `send` span per publish and a `process` span per delivered message,
 * trace context carried in the messages, and the client's metrics. Returns the function that
 * removes it all. The application brings its own SDK (or none: then the API's no-op tracer and
 * meter cost next to nothing).
 */
export function instrumentClient(
  client: MqttClient,
  options: MqttInstrumentationOptions = {},
): () => void {
  const settings = resolveInstrumentation(options, commonAttributes(options));
  const tracer = settings.tracerProvider.getTracer(INSTRUMENTATION_NAME);
  const meter = settings.meterProvider.getMeter(INSTRUMENTATION_NAME);
  const metrics = new ClientMetrics(meter, client, settings.common);
  const remove = client.instrument({
    publish: producerHook(tracer, metrics, settings),
    deliver: consumerHook(tracer, metrics, settings),
  });
  return () => {
    remove();
    metrics.stop();
  };
}

/** The attributes of every span and metric: the system, the client id, the broker's address. */
function commonAttributes(options: MqttInstrumentationOptions): Record<string, string | number> {
  const common: Record<string, string | number> = {
    [A.ATTR_MESSAGING_SYSTEM]: A.MESSAGING_SYSTEM,
  };
  if (options.clientId !== undefined) common[A.ATTR_CLIENT_ID] = options.clientId;
  if (options.server !== undefined) {
    // Host and port only: a URL may carry credentials (`mqtt://user:pass@host`).
    const url = new URL(options.server);
    common[A.ATTR_SERVER_ADDRESS] = url.hostname;
    const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port);
    if (port !== undefined) common[A.ATTR_SERVER_PORT] = port;
  }
  return common;
}

function defaultPort(protocol: string): number | undefined {
  return { 'mqtt:': 1883, 'mqtts:': 8883, 'ws:': 80, 'wss:': 443 }[protocol];
}
