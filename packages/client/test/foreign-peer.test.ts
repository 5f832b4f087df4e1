// A peer that is not an MQTT broker (an HTTP server on the MQTT port, a URL with the wrong
// port) is named as such, with what it answered, instead of "reserved fixed-header flag bits of
// PUBACK are 0x8" (the 'H' of "HTTP/1.1" read as an MQTT first byte).
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createTestCertificates } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignPeerMessage } from '../src/foreign-peer.js';
import { ConnectError, createClient, type MqttClient } from '../src/index.js';

const clients: MqttClient[] = [];
const servers: Server[] = [];

/** A real HTTP(S) server on 127.0.0.1; MQTT bytes are not HTTP, so node answers 400 itself. */
async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function connectFails(options: Parameters<typeof createClient>[0]): Promise<ConnectError> {
  const c = createClient({ reconnect: false, ...options });
  clients.push(c);
  const error = await c.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ force: true })));
  for (const s of servers) s.close();
});

describe('a peer that is not an MQTT broker', () => {
  let httpPort: number;
  beforeAll(async () => {
    httpPort = await listen(createHttpServer((_req, res) => res.end('hello')));
  });

  for (const protocolVersion of [4, 5] as const) {
    it(`an HTTP server answering 400 is named as such (MQTT ${protocolVersion})`, async () => {
      const error = await connectFails({ url: `mqtt://127.0.0.1:${httpPort}`, protocolVersion });
      expect(error.reason).toMatchObject({
        type: 'protocol-violation',
        reasonCode: 0x81,
        willReconnect: false,
      });
      const message = (error.reason as { message: string }).message;
      expect(message).toMatch(/^not an MQTT broker: it answered `HTTP\/1\.1 400 Bad Request\\r\\n/);
      expect(message).not.toMatch(/PUBACK/);
      expect(error.message).toContain('not an MQTT broker');
    });
  }

  it('the default (negotiating) client says the same', async () => {
    const error = await connectFails({ url: `mqtt://127.0.0.1:${httpPort}` });
    expect((error.reason as { message: string }).message).toMatch(/^not an MQTT broker/);
  });

  it('over TLS: an HTTPS server answering 400', async () => {
    const certs = createTestCertificates();
    const port = await listen(
      createHttpsServer({ cert: certs.cert, key: certs.key }, (_req, res) => res.end('hello')),
    );
    const error = await connectFails({ url: `mqtts://127.0.0.1:${port}`, tls: { ca: certs.ca } });
    expect((error.reason as { message: string }).message).toMatch(
      /^not an MQTT broker: it answered `HTTP\/1\.1 400 Bad Request/,
    );
  });
});

describe('foreignPeerMessage', () => {
  it('quotes the first bytes, printable, escaped, cut at 48 with an ellipsis', () => {
    const bytes = new TextEncoder().encode(
      `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
    expect(foreignPeerMessage(bytes)).toBe(
      'not an MQTT broker: it answered `HTTP/1.1 400 Bad Request\\r\\nConnection: close\\r\\nCon…`',
    );
    expect(foreignPeerMessage(Uint8Array.of(0x15, 0x03, 0x03, 0x60, 0x5c, 0x41))).toBe(
      'not an MQTT broker: it answered `\\x15\\x03\\x03\\`\\\\A`',
    );
  });
});
