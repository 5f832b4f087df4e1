// Scenario 8: security. A TLS server whose certificate the client must refuse (unknown CA,
// wrong host name): the failure is a clear, typed error, surfaced to connect() at once, with no
// retry loop that hides it. Credentials never appear in logs, events or error messages.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { createClient, type Logger } from '@mqttkit/client';
import { createTestCertificates, startHostileBroker } from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from './helpers.js';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** A TLS server that counts handshake attempts; it never gets as far as MQTT. */
async function tlsServer(hosts: string[]): Promise<{ port: number; attempts: () => number }> {
  const certs = createTestCertificates({ hosts });
  let attempts = 0;
  const server: Server = createServer({ cert: certs.cert, key: certs.key });
  server.on('connection', () => attempts++);
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, attempts: () => attempts };
}

describe('scenario 8: TLS failures are clear and not retried into silence', () => {
  const cases = [
    {
      name: 'a CA we do not trust',
      hosts: ['localhost', '127.0.0.1'],
      ca: () => createTestCertificates().otherCa,
      check: 'unknown-ca',
    },
    {
      name: 'a certificate for another host name',
      hosts: ['broker.example'],
      ca: () => createTestCertificates({ hosts: ['broker.example'] }).ca,
      check: 'hostname-mismatch',
    },
  ];
  for (const c of cases) {
    it(`${c.name}: a clear typed error, on connect() and on the close event`, async () => {
      const server = await tlsServer(c.hosts);
      const client = createClient({
        url: `mqtts://127.0.0.1:${server.port}`,
        protocolVersion: 5,
        tls: { ca: c.ca() },
        reconnect: false,
      });
      cleanup.push(() => client.end({ force: true }));
      const closes: unknown[] = [];
      client.on('close', (r) => closes.push(r));
      const error = await client.connect().then(
        () => new Error('connected through a bad certificate'),
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        code: 'MQTTKIT_ERR_CONNECT_FAILED',
        reason: { type: 'transport-error', willReconnect: false },
        cause: { code: 'MQTTKIT_ERR_TLS', check: c.check },
      });
      expect(String((error as Error).message)).toMatch(/TLS|certificate/i);
      expect(closes).toEqual([
        expect.objectContaining({
          type: 'transport-error',
          error: expect.objectContaining({ code: 'MQTTKIT_ERR_TLS', check: c.check }),
        }),
      ]);
      expect(server.attempts()).toBe(1);
    });

    // Found by this scenario: every transport error once counted as transient, so a certificate
    // that can never verify was retried forever and connect() never settled. Now the transport
    // marks it not retryable and the state machine stops (reconnect.retryRefusals opts back in).
    it(`${c.name}: with reconnect on, connect() rejects after one attempt (no retry loop)`, async () => {
      const server = await tlsServer(c.hosts);
      const client = createClient({
        url: `mqtts://127.0.0.1:${server.port}`,
        protocolVersion: 5,
        tls: { ca: c.ca() },
        // A short delay: a retry loop shows up as many attempts.
        reconnect: { initialDelay: 20, maxDelay: 50 },
      });
      cleanup.push(() => client.end({ force: true }));
      const error = await Promise.race([
        client.connect().then(
          () => new Error('connected through a bad certificate'),
          (e: unknown) => e,
        ),
        sleep(1000).then(() => new Error('connect() still pending after 1 s: a hidden retry loop')),
      ]);
      expect(error).toMatchObject({
        code: 'MQTTKIT_ERR_CONNECT_FAILED',
        reason: { type: 'transport-error', willReconnect: false },
        cause: { code: 'MQTTKIT_ERR_TLS', check: c.check },
      });
      expect(server.attempts()).toBe(1);
    });
  }
});

describe('scenario 8: credentials never leak', () => {
  it('username and password appear in no log line, event or error', async () => {
    const PASSWORD = 's3cr3t-Pa55word-Ω';
    const USER = 'user-7f3a';
    // A broker that refuses the credentials (0x86), then one that accepts and DISCONNECTs.
    let n = 0;
    const broker = await startHostileBroker(async (c) => {
      await c.next();
      n++;
      c.send(
        n === 1
          ? Buffer.from([0x20, 0x03, 0x00, 0x86, 0x00])
          : Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00, 0xe0, 0x02, 0x8b, 0x00]),
      );
    });
    cleanup.push(() => broker.close());
    const lines: string[] = [];
    const capture =
      (level: string) =>
      (obj: unknown, msg?: string): void => {
        lines.push(
          `${level} ${JSON.stringify(obj, (_k, v) => (v instanceof Uint8Array ? [...v] : v))} ${msg ?? ''}`,
        );
      };
    const logger: Logger = {
      trace: capture('trace'),
      debug: capture('debug'),
      info: capture('info'),
      warn: capture('warn'),
      error: capture('error'),
    };
    const seen: string[] = [];
    const record = (what: string) => (value: unknown) =>
      seen.push(
        `${what} ${JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v))}`,
      );
    const options = {
      url: broker.url,
      protocolVersion: 5 as const,
      username: USER,
      password: PASSWORD,
      logger,
      reconnect: false as const,
    };
    for (let i = 0; i < 2; i++) {
      const client = createClient(options);
      for (const e of ['packetsend', 'packetreceive', 'close', 'end', 'error', 'state'] as const) {
        client.on(e, record(e));
      }
      const result = await client.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      if (result instanceof Error) {
        seen.push(`${result.message} ${String(result.stack)} ${JSON.stringify(result)}`);
        seen.push(String((result as { cause?: unknown }).cause));
      }
      await client.end({ force: true });
      // What a user prints when debugging: the client itself and its options view.
      seen.push(JSON.stringify(client.stats()));
    }
    const all = [...lines, ...seen].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(seen.some((s) => s.startsWith('packetsend'))).toBe(true);
    expect(all).not.toContain(PASSWORD);
    // The password's bytes must not leak in any encoding either.
    expect(all).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(all).not.toContain(Buffer.from(PASSWORD).toString('latin1'));
    // The username is not a secret, but the packet trace says the password was withheld.
    expect(broker.connections).toHaveLength(2);
  });
});
