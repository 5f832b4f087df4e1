// The default protocol meets a 3.1.1 broker: without a pinned `protocolVersion` the client asks
// for MQTT 5, and a server that refuses it is retried and then spoken to in 3.1.1. aedes speaks
// 3.1.1 only and answers an MQTT 5 CONNECT with the 3.1.1 CONNACK return code 1 [MQTT-3.1.2-2]
// (3.1.1); an MQTT 5 broker that does not want 5 says 0x84 Unsupported Protocol Version.
import { once } from 'node:events';
import { type AddressInfo, createServer, type Server } from 'node:net';
import {
  type AedesHandle,
  hasMosquitto,
  type MosquittoHandle,
  startAedes,
  startMosquitto,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectError, createClient, InvalidArgumentError, type MqttClient } from '../src/index.js';
import { next, recordReasons, text } from './helpers.js';

const clients: MqttClient[] = [];
let aedes: AedesHandle;

beforeAll(async () => {
  aedes = await startAedes({ ws: true });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ force: true })));
  await aedes.close();
});

function client(options: Parameters<typeof createClient>[0]): MqttClient {
  const c = createClient({ reconnect: { initialDelay: 10 }, ...options });
  clients.push(c);
  return c;
}

describe('the default version against a 3.1.1-only broker (aedes)', () => {
  it('falls back to 3.1.1, says so in the connect result, and works', async () => {
    const c = client({ url: aedes.url });
    const reasons = recordReasons(c);
    const result = await c.connect();
    expect(result).toMatchObject({ protocolVersion: 4, attempt: 1 });
    expect(reasons.map((r) => r.reason)).toEqual([
      expect.objectContaining({
        type: 'connack-refused',
        reasonCode: 1,
        protocolVersion: 4,
        requestedVersion: 5,
        willReconnect: true,
      }),
    ]);
    await c.subscribe('negotiate/a', { qos: 1 });
    const got = next(c, 'message');
    await c.publish('negotiate/a', 'over 3.1.1', { qos: 1 });
    expect(text((await got).payload)).toBe('over 3.1.1');
  });

  it('the same over WebSocket, as the demo connects: createClient({ url: ws://…/mqtt })', async () => {
    const c = client({ url: aedes.wsUrl as string });
    expect(await c.connect()).toMatchObject({ protocolVersion: 4 });
  });

  it('what needs MQTT 5 follows the agreed version, not the option', async () => {
    const c = client({ url: aedes.url });
    await c.connect();
    await expect(c.request('negotiate/req', 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(
      c.publish('negotiate/p', 'x', { properties: { contentType: 'text/plain' } }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('the server is remembered: a reconnect goes straight to 3.1.1', async () => {
    const c = client({ url: aedes.url });
    await c.connect();
    const reasons = recordReasons(c);
    const again = next(c, 'connect');
    c.reconnect();
    expect(await again).toMatchObject({ protocolVersion: 4 });
    expect(reasons.some((r) => r.reason.type === 'connack-refused')).toBe(false);
  });

  it('a pinned protocolVersion 5 is refused with a message that says why', async () => {
    const c = client({ url: aedes.url, protocolVersion: 5 });
    const error = await c.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).reason).toMatchObject({
      type: 'connack-refused',
      reasonCode: 1,
      protocolVersion: 4,
      requestedVersion: 5,
      willReconnect: false,
    });
    expect((error as ConnectError).message).toMatch(/the broker does not support MQTT 5/);
  });
});

describe('an MQTT 5 broker refusing 5 with 0x84', () => {
  let server: Server;
  let url: string;
  const levels: number[] = [];

  beforeAll(async () => {
    // Answers by the Protocol Level of each CONNECT: 0x84 to 5, accepted to 4.
    server = createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', (chunk: Buffer) => {
        const level = chunk[chunk.indexOf('MQTT') + 4] as number;
        levels.push(level);
        if (level === 5) socket.end(Uint8Array.of(0x20, 0x03, 0x00, 0x84, 0x00));
        else socket.write(Uint8Array.of(0x20, 0x02, 0x00, 0x00));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('falls back to 3.1.1 on the next attempt', async () => {
    const c = client({ url });
    expect(await c.connect()).toMatchObject({ protocolVersion: 4, attempt: 1 });
    expect(levels).toEqual([5, 4]);
  });
});

describe('a broker refusing 5 and 3.1.1 alike', () => {
  let server: Server;
  let url: string;
  const names: string[] = [];

  beforeAll(async () => {
    // Refuses every CONNECT with the 3.1.1 "unacceptable protocol version" (return code 1),
    // recording each one's Protocol Name and Level.
    server = createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', (chunk: Buffer) => {
        const length = chunk.readUInt16BE(2);
        names.push(`${chunk.subarray(4, 4 + length).toString('latin1')} ${chunk[4 + length]}`);
        socket.end(Uint8Array.of(0x20, 0x02, 0x00, 0x01));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('negotiation stops at 3.1.1: MQTT 3.1 is tried only when pinned', async () => {
    const c = client({ url });
    await expect(c.connect()).rejects.toMatchObject({
      reason: { type: 'connack-refused', reasonCode: 1, protocolVersion: 4 },
    });
    expect(names).toEqual(['MQTT 5', 'MQTT 4']);
    const pinned = client({ url, protocolVersion: 3 });
    await expect(pinned.connect()).rejects.toMatchObject({ reason: { reasonCode: 1 } });
    expect(names).toEqual(['MQTT 5', 'MQTT 4', 'MQIsdp 3']);
  });
});

describe.skipIf(!hasMosquitto)('the default version against an MQTT 5 broker (mosquitto)', () => {
  let mosquitto: MosquittoHandle;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  }, 10_000);
  afterAll(async () => {
    await mosquitto?.close();
  });

  it('speaks 5 at the first attempt, no fallback', async () => {
    const c = client({ url: mosquitto.url });
    const reasons = recordReasons(c);
    expect(await c.connect()).toMatchObject({ protocolVersion: 5, attempt: 0 });
    expect(reasons).toEqual([]);
    const got = next(c, 'message');
    await c.subscribe('negotiate/m', { qos: 1 });
    await c.publish('negotiate/m', 'v5', { qos: 1, properties: { contentType: 'text/plain' } });
    expect((await got).properties?.contentType).toBe('text/plain');
  });
});
