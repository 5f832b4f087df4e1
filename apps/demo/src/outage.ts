import { performance } from 'node:perf_hooks';
import { type CloseReason, createClient, describeReason } from '@mqttkit/client';
import { startFaultProxy } from '@mqttkit/testkit';
import type { Checks } from './checks.js';
import { bold, dim, green, red, say, yellow } from './output.js';
import type { Tally } from './tally.js';
import { sleep, waitFor } from './wait.js';

const KEEPALIVE_S = 2;
const PING_TIMEOUT_MS = 1000;
/** The keepalive engine's documented bound: dead no later than keepalive + ping timeout. */
const BOUND_MS = KEEPALIVE_S * 1000 + PING_TIMEOUT_MS;
/** Real timers fire a little late on a busy machine; the bound is exact on the engine's clock. */
const TIMER_SLACK_MS = 250;
const CONNECT_TIMEOUT_MS = 1500;
/** Failed reconnect attempts to show before the link comes back. */
const FAILED_ATTEMPTS = 2;
const PUBLISH_EVERY_MS = 500;
const TOPIC = 'sensors/field';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/**
 * One sensor reaches the broker through a fault proxy. The proxy blackholes the link (no byte
 * passes, no socket closes: TCP notices nothing), the keepalive engine declares it dead, reconnect
 * attempts fail with typed reasons, the link comes back, and every QoS 1 message published during
 * the outage (in flight on the dead link, or in the offline queue) reaches the broker.
 */
export async function runOutage(
  target: { host: string; port: number },
  tally: Tally,
  checks: Checks,
): Promise<void> {
  say('demo', bold('one sensor connects through a fault proxy that will blackhole its link:'));
  const proxy = await startFaultProxy({ target });
  const sensor = createClient({
    url: proxy.url,
    protocolVersion: 4,
    clientId: 'sensor-field',
    // A session on the broker: messages in flight when the link died are resent with DUP.
    clean: false,
    keepalive: KEEPALIVE_S,
    pingTimeout: PING_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnect: { initialDelay: 300, multiplier: 2, maxDelay: 1200, jitter: 'none' },
  });

  let lastReceivedAt = performance.now();
  let blackholedAt: number | undefined;
  let attempt = 0;
  let detection: { silentMs: number; reason: CloseReason } | undefined;
  const failed: CloseReason[] = [];
  let pendingAtRestore: { inflight: number; queued: number } | undefined;
  let reconnected: { attempt: number; sessionPresent: boolean } | undefined;

  const restore = (): void => {
    const { inflight, queued } = sensor.stats();
    pendingAtRestore = { inflight, queued };
    proxy.setMode('pass');
    say(
      'proxy',
      green(`link restored; the sensor holds ${inflight} in flight and ${queued} queued`),
    );
  };

  sensor.on('packetreceive', (packet) => {
    lastReceivedAt = performance.now();
    if (packet.cmd === 'pingresp') {
      say('field', `PINGRESP received, RTT ${sensor.stats().lastRttMs?.toFixed(2)} ms`);
    }
  });
  sensor.on('packetsend', (packet) => {
    if (packet.cmd !== 'pingreq') return;
    const quiet = performance.now() - lastReceivedAt;
    say('field', `PINGREQ sent (nothing received for ${seconds(quiet)})`);
  });
  sensor.on('state', ({ from, to }) => {
    const detail = sensor.stateDetail;
    if (detail.type === 'connecting' && detail.attempt > 0) attempt = detail.attempt;
    const retry = detail.type === 'connecting' && detail.attempt > 0;
    say('field', dim(`state ${from} -> ${to}${retry ? ` (reconnect attempt ${attempt})` : ''}`));
  });
  sensor.on('close', (reason) => {
    // Only the closes of the outage: not the first link's, not the final end().
    if (blackholedAt === undefined || reconnected !== undefined) return;
    const typed = `${reason.type}, initiator ${reason.initiator}, willReconnect ${reason.willReconnect}`;
    if (reason.type === 'keepalive-timeout' && detection === undefined) {
      const now = performance.now();
      detection = { silentMs: now - lastReceivedAt, reason };
      say('field', yellow(`close: ${typed}`));
      say(
        'field',
        yellow(
          `dead link detected ${seconds(detection.silentMs)} after the last packet from the broker ` +
            `(${seconds(now - blackholedAt)} after the blackhole); documented bound: keepalive ` +
            `${KEEPALIVE_S} s + ping timeout ${PING_TIMEOUT_MS / 1000} s = ${seconds(BOUND_MS)}`,
        ),
      );
      return;
    }
    failed.push(reason);
    say(
      'field',
      yellow(`reconnect attempt ${attempt} failed: ${typed} (${describeReason(reason)})`),
    );
    if (failed.length === FAILED_ATTEMPTS && pendingAtRestore === undefined) restore();
  });
  sensor.on('connect', (result) => {
    if (result.attempt === 0) return;
    reconnected = { attempt: result.attempt, sessionPresent: result.sessionPresent };
    say(
      'field',
      green(
        `reconnected on attempt ${result.attempt} (session present: ${result.sessionPresent}); ` +
          (result.sessionPresent
            ? 'in-flight messages resent with DUP and their ids, then the offline queue flushed'
            : 'a new session: in-flight messages sent again as new ones, then the offline queue flushed'),
      ),
    );
  });

  await sensor.connect({ signal: AbortSignal.timeout(5000) });
  // A subscription makes the broker keep the session across the outage.
  await sensor.subscribe('commands/field', { qos: 1 });
  say(
    'field',
    `connected via ${proxy.url} (keepalive ${KEEPALIVE_S} s, ping timeout ${PING_TIMEOUT_MS / 1000} s); idle until a ping`,
  );
  await waitFor(() => sensor.stats().pongsReceived >= 1, KEEPALIVE_S * 1000 + 2000);

  const publishes: Array<Promise<unknown>> = [];
  let acked = 0;
  const publish = (): Promise<unknown> => {
    const payload = tally.label(`${(3 + Math.random()).toFixed(2)} mm/s`);
    tally.sent(TOPIC, payload);
    const where =
      sensor.state === 'connected' ? 'written, awaiting PUBACK' : 'kept in the offline queue';
    say('field', `publish ${payload} at QoS 1: ${where}`);
    const done = sensor.publish(TOPIC, payload, { qos: 1 }).then(() => {
      acked++;
    });
    publishes.push(done);
    return done;
  };
  for (let i = 0; i < 2; i++) await publish();

  proxy.setMode('blackhole');
  blackholedAt = performance.now();
  say('proxy', red('BLACKHOLE: every byte dropped both ways, both sockets left open'));
  // Publish on schedule through the outage, without waiting for the acks.
  const deadline = Date.now() + 25_000;
  while (reconnected === undefined && Date.now() < deadline) {
    void publish().catch(() => {});
    await sleep(PUBLISH_EVERY_MS);
  }
  if (pendingAtRestore === undefined) restore(); // only when something went wrong: never hang
  if (reconnected !== undefined) await publish();
  const settled = await waitFor(() => acked === publishes.length, 10_000);
  say('field', `${acked} of ${publishes.length} QoS 1 publishes acknowledged (PUBACK)`);
  await sensor.end();
  await proxy.close();

  const detected = detection;
  checks.record(
    `keepalive-timeout detected within keepalive + ping timeout (measured ${seconds(detected?.silentMs ?? Number.NaN)}, bound ${seconds(BOUND_MS)})`,
    detected?.reason.willReconnect === true &&
      detected.silentMs >= KEEPALIVE_S * 1000 &&
      detected.silentMs <= BOUND_MS + TIMER_SLACK_MS,
  );
  checks.record(
    `${failed.length} reconnect attempts failed with typed reasons (${[...new Set(failed.map((r) => r.type))].join(', ') || 'none'})`,
    failed.length >= FAILED_ATTEMPTS && failed.every((r) => r.willReconnect),
  );
  checks.record(
    `messages held during the outage (${pendingAtRestore?.inflight ?? 0} in flight, ${pendingAtRestore?.queued ?? 0} queued)`,
    pendingAtRestore !== undefined && pendingAtRestore.inflight + pendingAtRestore.queued > 0,
  );
  checks.record(
    `reconnected after the link came back (attempt ${reconnected?.attempt ?? '-'})`,
    reconnected !== undefined,
  );
  checks.record(
    `every QoS 1 publish of the outage acknowledged (${acked}/${publishes.length})`,
    settled && acked === publishes.length,
  );
}
