// `beforeConnect` (issue 10, "fresh credentials before every connect"): awaited before every
// attempt, its overrides used for that attempt's CONNECT, its failure a typed, retried close, and
// `end()` / the connect timeout honoured while it is pending. Against aedes, whose authenticate
// hook accepts only the newest token a fake token service issued.

import { type AedesHandle, type FaultProxy, startAedes, startFaultProxy } from '@mqttkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectAttempt,
  ConnectError,
  createClient,
  type Logger,
  type MqttClient,
} from '../src/index.js';
import { next, until } from './helpers.js';

/** A token service: each fetch issues a new token and revokes the previous ones. */
let issued = 0;
/** Tokens the broker saw in CONNECT, in order, with its verdict. */
const seen: Array<{ token: string; accepted: boolean }> = [];
const newestToken = (): string => `token-${issued}`;
const fetchToken = (): string => {
  issued++;
  return newestToken();
};

let broker: AedesHandle;
let proxy: FaultProxy;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startAedes({
    broker: {
      authenticate: (_client, _username, password, done) => {
        const token = password?.toString() ?? '';
        const accepted = token === newestToken();
        seen.push({ token, accepted });
        done(null, accepted);
      },
    },
  });
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
  proxy.setMode('pass');
  issued = 0;
  seen.length = 0;
});
afterAll(async () => {
  await proxy?.close();
  await broker?.close();
});

function client(
  options: Omit<Parameters<typeof createClient>[0], 'url'> & { url?: string },
): MqttClient {
  const c = createClient({
    url: proxy.url,
    protocolVersion: 4,
    username: 'device-7', // MQTT 3.1.1 sends a password only with a username
    reconnect: { initialDelay: 50, maxDelay: 50, jitter: 'none' },
    ...options,
  });
  clients.push(c);
  return c;
}

describe('beforeConnect', () => {
  it('fetches a fresh token before the first connect and before the reconnect', async () => {
    const attempts: Array<Omit<ConnectAttempt, 'signal'>> = [];
    const logged: string[] = [];
    const log = (obj: unknown, msg?: string): void => {
      logged.push(JSON.stringify(obj) + (msg ?? ''));
    };
    const logger: Logger = { trace: log, debug: log, info: log, warn: log, error: log };
    const sent: string[] = [];
    const c = client({
      username: 'static-user',
      password: 'stale-password',
      logger,
      beforeConnect: async ({ attempt, serverIndex }) => {
        attempts.push({ attempt, serverIndex });
        await new Promise((resolve) => setTimeout(resolve, 5)); // a real fetch is asynchronous
        return { password: fetchToken() };
      },
    });
    c.on('packetsend', (packet) => sent.push(JSON.stringify(packet)));

    const first = await c.connect();
    expect(first.attempt).toBe(0);
    expect(seen).toEqual([{ token: 'token-1', accepted: true }]);

    const closed = next(c, 'close');
    const reconnected = next(c, 'connect');
    proxy.setMode('cut');
    expect((await closed).willReconnect).toBe(true);
    proxy.setMode('pass');
    const second = await reconnected;

    // Token 1 is revoked by now: only the hook's fresh token 2 could have been accepted.
    expect(seen.at(-1)).toEqual({ token: 'token-2', accepted: true });
    expect(seen.every((s) => s.accepted)).toBe(true);
    expect(attempts[0]).toEqual({ attempt: 0, serverIndex: 0 });
    expect(attempts.at(-1)).toEqual({ attempt: second.attempt, serverIndex: 0 });
    expect(second.attempt).toBeGreaterThan(0);
    // Fields the hook left out keep the options' values.
    expect(
      sent.filter((p) => p.includes('"connect"')).every((p) => p.includes('static-user')),
    ).toBe(true);
    // Credentials reach neither the logger nor packetsend.
    for (const line of [...logged, ...sent]) {
      expect(line).not.toContain('token-');
      expect(line).not.toContain('stale-password');
    }
  });

  it('a hook that rejects once is a typed transport error, retried with backoff', async () => {
    const calls: number[] = [];
    let failures = 0;
    const c = client({
      beforeConnect: () => {
        calls.push(Date.now());
        if (failures++ === 0) return Promise.reject(new Error('token service unavailable'));
        return { password: fetchToken() };
      },
    });
    const closed = next(c, 'close');
    const connected = c.connect();
    const reason = await closed;
    expect(reason.type).toBe('transport-error');
    expect(reason.willReconnect).toBe(true);
    const error = (reason as { error?: { code?: string; cause?: Error } }).error;
    expect(error?.code).toBe('MQTTKIT_ERR_BEFORE_CONNECT');
    expect(error?.cause?.message).toBe('token service unavailable');

    const result = await connected;
    expect(result.attempt).toBe(1);
    expect(calls).toHaveLength(2);
    // The retry waited for the backoff (50 ms, no jitter), not a hot loop.
    expect((calls[1] as number) - (calls[0] as number)).toBeGreaterThanOrEqual(45);
    expect(seen).toEqual([{ token: 'token-1', accepted: true }]);
  });

  it('end() while the hook is pending ends cleanly, aborts its signal and opens no socket', async () => {
    let signal: ConnectAttempt['signal'] | undefined;
    const c = client({
      beforeConnect: (attempt) => {
        signal = attempt.signal;
        return new Promise<never>(() => {}); // never settles: end() must not wait for it
      },
    });
    const connecting = c.connect();
    const rejected = expect(connecting).rejects.toBeInstanceOf(ConnectError);
    await until(() => signal !== undefined);
    expect(c.state).toBe('connecting');
    await c.end();
    await rejected;
    expect(c.state).toBe('closed');
    expect(signal?.aborted).toBe(true);
    expect(proxy.connections()).toBe(0);
    expect(seen).toEqual([]);
  });

  it('a pending hook counts against connectTimeout and is asked again on the retry', async () => {
    const signals: Array<ConnectAttempt['signal']> = [];
    const c = client({
      connectTimeout: 100,
      beforeConnect: ({ signal }) => {
        signals.push(signal);
        if (signals.length === 1) return new Promise<never>(() => {});
        return { password: fetchToken() };
      },
    });
    const closed = next(c, 'close');
    const connected = c.connect();
    const reason = await closed;
    expect(reason.type).toBe('connect-timeout');
    expect(signals[0]?.aborted).toBe(true);
    expect((await connected).attempt).toBe(1);
    expect(seen).toEqual([{ token: 'token-1', accepted: true }]);
  });

  it('overrides that cannot make a CONNECT are the hook error, not a stuck attempt', async () => {
    const c = client({
      username: undefined,
      reconnect: false,
      connectTimeout: 10_000,
      beforeConnect: () => ({ password: fetchToken() }), // no username under 3.1.1
    });
    const closed = next(c, 'close');
    const started = Date.now();
    await expect(c.connect()).rejects.toBeInstanceOf(ConnectError);
    const reason = await closed;
    expect(reason.type).toBe('transport-error');
    const error = (reason as { error?: { code?: string; cause?: { code?: string } } }).error;
    expect(error?.code).toBe('MQTTKIT_ERR_BEFORE_CONNECT');
    expect(error?.cause?.code).toBe('MQTTKIT_ERR_INVALID_PACKET');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(seen).toEqual([]);
  });

  it('a hook may return the URL of the attempt', async () => {
    const c = client({
      url: 'mqtt://127.0.0.1:1', // nothing listens there: only the hook's URL can connect
      beforeConnect: () => ({ url: broker.url, password: fetchToken() }),
    });
    await c.connect();
    expect(seen).toEqual([{ token: 'token-1', accepted: true }]);
  });
});
