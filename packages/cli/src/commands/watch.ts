/**
 * `mqttkit watch`: connect and print one line per state change, PINGREQ sent, PINGRESP (with the
 * round-trip time from `stats()`) and reconnect, until Ctrl-C or `-W`. Reconnects forever: it is
 * for watching a link come and go.
 */
import { type ClientStats, describeReason } from '@mqttkit/client';
import type { WatchArgs } from '../args.js';
import { openClient } from '../connection.js';
import { EXIT, type ExitCode } from '../errors.js';
import { type Io, line } from '../io.js';

/** How often `stats()` is read for new pings. A ping is at most this late on screen. */
const POLL_MS = 100;

export async function watch(args: WatchArgs, io: Io): Promise<ExitCode> {
  const client = await openClient(args.connection, { reconnect: true }, io);
  const print = (text: string): void => line(io.stdout, `${clock(io.now())} ${text}`);
  client.on('state', (change) => {
    const why = change.reason ? ` (${describeReason(change.reason)})` : '';
    print(`state ${change.from} -> ${change.to}${why}`);
  });
  client.on('connect', (result) => {
    const keepalive = result.properties?.serverKeepAlive ?? args.connection.keepalive;
    print(
      `connected to ${args.connection.url} sessionPresent=${result.sessionPresent} keepalive=${keepalive}s`,
    );
  });

  let last: ClientStats = client.stats();
  const poll = setInterval(() => {
    const now = client.stats();
    if (now.pingsSent > last.pingsSent) print(`ping sent (#${now.pingsSent})`);
    if (now.pongsReceived > last.pongsReceived) {
      const rtt = now.lastRttMs === undefined ? '?' : now.lastRttMs.toFixed(1);
      print(`pong received (#${now.pongsReceived}) rtt=${rtt}ms`);
    }
    if (now.reconnects > last.reconnects) print(`reconnected (${now.reconnects} so far)`);
    last = now;
  }, POLL_MS);

  await new Promise<void>((resolve) => {
    const timer =
      args.timeoutSeconds === undefined
        ? undefined
        : setTimeout(resolve, args.timeoutSeconds * 1000);
    const stop = (): void => {
      if (timer) clearTimeout(timer);
      resolve();
    };
    if (io.interrupt.aborted) stop();
    io.interrupt.addEventListener('abort', stop, { once: true });
    // Failures are printed as state changes; watch keeps retrying, so connect() errors only
    // when we end it.
    client.connect().catch(() => undefined);
  });
  clearInterval(poll);
  await client.end().catch(() => undefined);
  return EXIT.ok;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}
