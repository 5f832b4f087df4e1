// The `proxy` and `socketPath` options reach the transport: a client talks to aedes through real
// HTTP CONNECT and SOCKS5 proxies on loopback (over TCP and WebSocket), and the proxy's
// credentials reach neither the logger nor an error.
import { inspect } from 'node:util';
import {
  type AedesHandle,
  type ProxyHandle,
  startAedes,
  startHttpProxy,
  startSocksProxy,
} from '@mqttkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, type Logger, type MqttClient } from '../src/index.js';

const USER = 'tunnel-user';
const SECRET = 'tunnel-s3cret';
let broker: AedesHandle;
const clients: MqttClient[] = [];
const proxies: ProxyHandle[] = [];

beforeAll(async () => {
  broker = await startAedes({ ws: true });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end({ force: true }).catch(() => undefined)));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await broker?.close();
});

function logged(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = (obj: unknown, msg?: string): void => {
    lines.push(inspect(obj, { depth: 20 }) + (msg ?? ''));
  };
  return { logger: { trace: log, debug: log, info: log, warn: log, error: log }, lines };
}

function client(options: ClientOptions): MqttClient {
  const c = createClient({
    protocolVersion: 4,
    reconnect: false,
    connectTimeout: 5000,
    ...options,
  });
  clients.push(c);
  return c;
}

describe.each([
  { name: 'HTTP CONNECT', start: startHttpProxy },
  { name: 'SOCKS5', start: startSocksProxy },
])('through a $name proxy that needs credentials', ({ start }) => {
  it.each(['tcp', 'ws'] as const)('publishes and receives over %s', async (via) => {
    const p = await start({ credentials: { username: USER, password: SECRET } });
    proxies.push(p);
    const { logger, lines } = logged();
    const url = via === 'tcp' ? broker.url : (broker.wsUrl as string);
    const c = client({ url, proxy: { url: p.url, username: USER, password: SECRET }, logger });
    await c.connect();
    await c.subscribe('proxied/topic');
    const received = new Promise<string>((resolve) =>
      c.on('message', (m) => resolve(new TextDecoder().decode(m.payload))),
    );
    await c.publish('proxied/topic', 'hello through the proxy', { qos: 1 });
    expect(await received).toBe('hello through the proxy');
    expect(p.granted).toBe(1);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(SECRET);
  });

  it('without credentials the connect fails with the proxy error, no secret anywhere', async () => {
    const p = await start({ credentials: { username: USER, password: SECRET } });
    proxies.push(p);
    const { logger, lines } = logged();
    const wrong = p.url.replace('://', `://${USER}:not-${SECRET}@`);
    const c = client({ url: broker.url, proxy: wrong, logger });
    const error = await c.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(inspect(error, { depth: 20 })).toMatch(/MQTTKIT_ERR_PROXY/);
    for (const text of [...lines, inspect(error, { depth: 20, showHidden: true })]) {
      expect(text).not.toContain(SECRET);
    }
  });
});

describe('options', () => {
  it('proxy is a URL or { url, username?, password? }', () => {
    expect(() => createClient({ url: broker.url, proxy: { url: 1 } as never })).toThrow(
      /Invalid option proxy\.url/,
    );
    expect(() =>
      createClient({ url: broker.url, proxy: { url: 'http://x', pass: 'y' } as never }),
    ).toThrow(/proxy\.pass/);
  });
});
