import { once } from 'node:events';
import { connect } from 'node:net';
import { createKeepalive, type DeadReason } from '@mqttkit/keepalive';
import { startFaultProxy } from '@mqttkit/testkit';
import { startLocalBroker } from './broker.js';
import {
  createPacketSplitter,
  encodeConnect,
  PACKET_CONNACK,
  PACKET_PINGRESP,
  PINGREQ,
} from './mqtt-wire.js';
import { ms, say } from './output.js';

const KEEPALIVE_SECONDS = 1;
const PING_TIMEOUT_MS = 500;
/** Healthy round trips to show before the link is blackholed. */
const HEALTHY_PONGS = 2;
/** If detection has not happened by then, something is broken: fail loudly. */
const GIVE_UP_MS = 10_000;

async function main(): Promise<number> {
  const keepaliveMs = KEEPALIVE_SECONDS * 1000;
  const boundMs = keepaliveMs + PING_TIMEOUT_MS;

  const broker = await startLocalBroker();
  say('broker', `aedes listening on 127.0.0.1:${broker.port}`);
  const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
  say('proxy', `fault proxy on 127.0.0.1:${proxy.port}, forwarding to the broker`);

  const socket = connect(proxy.port, '127.0.0.1');
  socket.on('error', (error) => say('socket', `error: ${error.message}`));
  let socketClosed = false;
  socket.on('close', () => {
    socketClosed = true;
  });
  await once(socket, 'connect');

  let lastReceivedAt = performance.now();
  let blackholedAt: number | undefined;
  let resolveDead: (reason: DeadReason) => void = () => {};
  const dead = new Promise<DeadReason>((resolve) => {
    resolveDead = resolve;
  });

  // The engine owns the timing; this program only writes PINGREQ and reports traffic.
  const keepalive = createKeepalive({
    keepaliveMs,
    pingTimeoutMs: PING_TIMEOUT_MS,
    sendPing() {
      socket.write(PINGREQ);
      const n = keepalive.stats().pingsSent;
      say(
        'ping',
        `PINGREQ #${n} sent${blackholedAt === undefined ? '' : ' (into the black hole)'}`,
      );
    },
    onDead: (reason) => resolveDead(reason),
  });

  const blackhole = (): void => {
    proxy.setMode('blackhole');
    blackholedAt = performance.now();
    say('proxy', 'BLACKHOLE: no bytes pass either way and both sockets stay open (half-open link)');
  };

  const connected = new Promise<void>((resolve, reject) => {
    let first = true;
    socket.on(
      'data',
      createPacketSplitter((type) => {
        lastReceivedAt = performance.now();
        if (first) {
          first = false;
          // The broker's first packet must be CONNACK [MQTT-3.2.0-1].
          if (type === PACKET_CONNACK) resolve();
          else reject(new Error(`expected CONNACK, got packet type 0x${type.toString(16)}`));
          return;
        }
        if (type === PACKET_PINGRESP) {
          keepalive.pingAnswered();
          const s = keepalive.stats();
          say('pong', `PINGRESP #${s.pongsReceived}, round trip ${ms(s.lastRttMs ?? 0)}`);
          if (s.pongsReceived === HEALTHY_PONGS) blackhole();
        } else {
          keepalive.packetReceived();
        }
      }),
    );
  });

  socket.write(encodeConnect('keepalive-only', KEEPALIVE_SECONDS));
  await connected;
  keepalive.start();
  say(
    'client',
    `connected (CONNACK), keepalive ${keepaliveMs} ms, ping timeout ${PING_TIMEOUT_MS} ms: ` +
      `a dead link is declared ${boundMs} ms after the last packet received`,
  );

  const giveUp = new Promise<undefined>((resolve) =>
    setTimeout(() => resolve(undefined), GIVE_UP_MS).unref(),
  );
  const reason = await Promise.race([dead, giveUp]);
  const detectedAt = performance.now();
  let code = 0;
  if (reason === undefined) {
    say('result', `FAILED: no detection within ${GIVE_UP_MS} ms`);
    code = 1;
  } else {
    const silence = detectedAt - lastReceivedAt;
    const sinceBlackhole = blackholedAt === undefined ? Number.NaN : detectedAt - blackholedAt;
    say(
      'dead',
      `link declared DEAD ${ms(silence)} after the last packet received ` +
        `(bound ${boundMs} ms = keepalive ${keepaliveMs} + ping timeout ${PING_TIMEOUT_MS}), ` +
        `${ms(sinceBlackhole)} after the blackhole`,
    );
    say(
      'dead',
      `reason: ${JSON.stringify(reason, (_k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`,
    );
    say(
      'dead',
      `socket still open when detected: ${socketClosed ? 'no' : 'yes'} (the engine noticed, not TCP)`,
    );
    const s = keepalive.stats();
    say(
      'stats',
      `pings sent ${s.pingsSent}, pongs received ${s.pongsReceived}, last RTT ${ms(s.lastRttMs ?? 0)}`,
    );
  }

  keepalive.stop();
  socket.destroy();
  await proxy.close();
  await broker.close();
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
