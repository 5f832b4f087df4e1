// A consumer of the packed packages, as a user's project would be. scripts/check-packed.mjs copies
// this one file into a fresh npm project twice: as check.cts in a `"type": "commonjs"` package
// (tsc `node16`: every import below becomes a `require()`), and as check.mts (tsc `nodenext`, and
// typechecked again under `bundler`). Each compiled copy then runs under Node: types and runtime
// are checked from the same lines, for both module formats.

import { createClient, MqttClient } from '@mqttkit/client';
import { createDecoder, encode, type Packet } from '@mqttkit/codec';
import { validateTopic } from '@mqttkit/codec/client';
import { createFakeScheduler, createKeepalive } from '@mqttkit/keepalive';
import { instrumentClient } from '@mqttkit/otel';
import { initialState, transition } from '@mqttkit/state';
import { createFileStore } from '@mqttkit/store-file';
import { open, TransportError } from '@mqttkit/transport';

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`packed consumer: ${what}`);
}

/** A PUBLISH encoded and decoded by the codec comes back with its topic and payload. */
function codecRoundTrip(): void {
  const received: Packet[] = [];
  const decoder = createDecoder({
    protocolVersion: 5,
    onPacket: (packet) => received.push(packet),
    onError: (error) => {
      throw error;
    },
  });
  const payload = new TextEncoder().encode('hello');
  decoder.push(
    encode(
      { cmd: 'publish', topic: 'a/b', payload, qos: 0, retain: false, dup: false },
      { protocolVersion: 5 },
    ),
  );
  const packet = received[0];
  check(packet?.cmd === 'publish' && packet.topic === 'a/b', 'codec PUBLISH round trip');
  validateTopic('a/b');
  let rejected = false;
  try {
    validateTopic('a/#'); // a wildcard in a topic name [MQTT-3.3.2-2]
  } catch {
    rejected = true;
  }
  check(rejected, 'codec/client validateTopic');
}

/** The keepalive engine pings after the keepalive on a fake clock. */
function keepaliveRoundTrip(): void {
  const scheduler = createFakeScheduler();
  let pings = 0;
  const keepalive = createKeepalive({
    keepaliveMs: 1000,
    scheduler,
    sendPing: () => pings++,
    onDead: () => {},
  });
  keepalive.start();
  scheduler.advance(1000);
  keepalive.stop();
  check(pings === 1, `keepalive pinged ${pings} times after 1 s`);
}

/** `connect` from idle opens the transport. */
function stateRoundTrip(): void {
  const result = transition(initialState(), {
    type: 'connect',
    serverCount: 1,
    protocolVersion: 5,
  });
  check(result.status === 'applied' && result.state.type === 'connecting', 'state transition');
}

export async function main(): Promise<void> {
  codecRoundTrip();
  keepaliveRoundTrip();
  stateRoundTrip();
  const client = createClient({ url: 'mqtt://127.0.0.1:1' });
  check(client instanceof MqttClient && client.state === 'idle', 'client created idle');
  check(typeof open === 'function', 'transport open');
  check(
    new TransportError('MQTTKIT_ERR_CONNECT', 'x').code === 'MQTTKIT_ERR_CONNECT',
    'TransportError',
  );
  check(typeof createFileStore === 'function', 'store-file');
  // Instrumented with the API's no-op tracer and meter (the peer @opentelemetry/api, no SDK).
  const stop = instrumentClient(client);
  stop();
}

main().then(
  () => console.log('packed consumer: ok'),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
