// One worker process of the pool, forked by the supervisor into a slot. It resumes the slot's
// session, subscribes to the group's shared filter at QoS 1 and processes messages with an async
// handler; each PUBACK leaves when its handler settles. SIGTERM drains: no new message is
// taken, the ones in hand are finished and acknowledged, then the client disconnects.
import { createClient } from '@mqttkit/client';
import { createDrain } from './drain.js';
import { openLedger } from './ledger.js';
import { messageId } from './message-id.js';
import { sharedFilter, slotClientOptions } from './slot.js';
import type { WorkerConfig, WorkerReport } from './worker-config.js';

const config = JSON.parse(process.argv[2] ?? '') as WorkerConfig;
const { settings, slot, workMs } = config;
// Resolves once the report is handed to the IPC channel (before the process may exit).
const report = (value: WorkerReport): Promise<void> =>
  new Promise((resolve) => {
    if (process.send) process.send(value, undefined, undefined, () => resolve());
    else resolve();
  });

const ledger = config.ledgerDir === undefined ? undefined : openLedger(config.ledgerDir, slot);
const client = createClient(slotClientOptions(settings, slot));
// At most a Receive Maximum of handlers at once, whatever the broker sends.
const drain = createDrain({ concurrency: settings.receiveMaximum });

// The listener is attached before connect(): a resumed session's in-flight messages arrive
// right after CONNACK, before any SUBSCRIBE.
client.on(
  'message',
  drain.listener(async (message) => {
    // The work: an async wait standing in for a database write or an HTTP call.
    await new Promise((resolve) => setTimeout(resolve, workMs));
    // Recorded before the handler resolves, so before its PUBACK can leave.
    ledger?.append(messageId(message) ?? `packet-${message.packetId}`, message.dup, drain.inHand);
  }),
);
client.on('error', (error) => console.error(`slot ${slot}:`, error));

// `on`, not `once`: a second signal (Ctrl-C reaches the whole process group, then the
// supervisor sends its own SIGTERM) must not kill the drain half-way.
let draining = false;
const stop = (): void => {
  if (draining) return;
  draining = true;
  void (async () => {
    const inHand = await drain.drain();
    await client.end();
    ledger?.close();
    await report({ type: 'drained', inHand, declined: drain.declined });
    process.exit(0);
  })();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// A link the client gave up on (a refusal or a protocol violation, not our own `end()`) ends
// this process, so the supervisor starts the slot again and the session comes back with it.
client.on('end', (reason) => {
  if (draining) return;
  console.error(`slot ${slot}: connection ended (${reason.type}), exiting for a restart`);
  process.exit(1);
});

const connected = await client.connect();
// A resumed session still holds the shared subscription [MQTT-3.1.2-4]: no SUBSCRIBE then. The
// broker starts sending the slot's backlog at CONNACK, and while a SUBACK is awaited the client
// keeps reading (it never pauses while an answer is due), so subscribing again would take in the
// whole backlog at once; mosquitto 2.0.11 sends it past our Receive Maximum.
if (!connected.sessionPresent) {
  const [granted] = await client.subscribe(sharedFilter(settings.group, settings.filter), {
    qos: 1,
  });
  if (granted === undefined || granted.reasonCode >= 0x80) {
    console.error(`slot ${slot}: subscription refused (0x${granted?.reasonCode.toString(16)})`);
    process.exit(1);
  }
}
await report({ type: 'ready', sessionPresent: connected.sessionPresent });
