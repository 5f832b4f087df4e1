import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFrameReader,
  type HostileBroker,
  recordPackets,
  startAedes,
  startFaultProxy,
  startHostileBroker,
} from '../src/index.js';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe('createFrameReader', () => {
  it('splits a stream fed one byte at a time into whole frames', () => {
    // PINGREQ, then a PUBLISH whose 200-byte body needs a 2-byte Remaining Length.
    const body = Buffer.alloc(200, 7);
    const stream = Buffer.concat([Buffer.from([0xc0, 0x00, 0x32, 0xc8, 0x01]), body]);
    const reader = createFrameReader();
    const frames = [];
    for (const byte of stream) frames.push(...reader.push(Buffer.from([byte])));
    expect(frames.map((f) => [f.name, f.flags, f.body.length])).toEqual([
      ['pingreq', 0, 0],
      ['publish', 2, 200],
    ]);
    expect(reader.buffered()).toBe(0);
  });

  it('refuses a Remaining Length longer than 4 bytes', () => {
    expect(() =>
      createFrameReader().push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])),
    ).toThrow(/Remaining Length/);
  });
});

describe('recordPackets', () => {
  it('timestamps the packets crossing a proxy, per link and direction', async () => {
    const broker = await startAedes();
    cleanup.push(() => broker.close());
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
    cleanup.push(() => proxy.close());
    const log = recordPackets(proxy);
    const socket = connect(proxy.port, '127.0.0.1');
    cleanup.push(() => {
      socket.destroy();
    });
    await once(socket, 'connect');
    // MQTT 3.1.1 CONNECT, client id "a", keepalive 60, then a PINGREQ.
    socket.write(
      Buffer.from([0x10, 13, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60, 0, 1, 0x61, 0xc0, 0]),
    );
    const deadline = Date.now() + 3000;
    while (log.count('pingresp') === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const names = (d: string) => log.packets.filter((p) => p.direction === d).map((p) => p.name);
    expect(names('client-to-target')).toEqual(['connect', 'pingreq']);
    expect(names('target-to-client')).toEqual(['connack', 'pingresp']);
    expect(log.count('connect', 'client-to-target')).toBe(1);
    expect(log.count('connack', 'target-to-client')).toBe(1);
    expect(log.count('pingresp', 'target-to-client')).toBe(1);
    expect(new Set(log.packets.map((p) => p.linkId))).toEqual(new Set([1]));
    const [connack] = log.of('connack');
    const [connect_] = log.of('connect');
    expect((connack?.atMs ?? 0) >= (connect_?.atMs ?? Infinity)).toBe(true);
  });
});

describe('startHostileBroker', () => {
  it('runs its script per connection: reads packets, sends raw bytes, resets', async () => {
    let broker: HostileBroker | undefined;
    broker = await startHostileBroker(async (c) => {
      const first = await c.next();
      expect(first.name).toBe('connect');
      c.send(Buffer.from([0x20, 0x02, 0x00, 0x05])); // CONNACK refused: not authorized
      c.reset();
    });
    cleanup.push(() => broker?.close());
    const socket = connect(broker.port, '127.0.0.1');
    socket.on('error', () => {});
    await once(socket, 'connect');
    const data: Buffer[] = [];
    socket.on('data', (d: Buffer) => data.push(d));
    socket.write(Buffer.from([0x10, 13, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60, 0, 1, 0x61]));
    await once(socket, 'close');
    expect([...Buffer.concat(data)]).toEqual([0x20, 0x02, 0x00, 0x05]);
    expect(broker.connections).toHaveLength(1);
    expect(broker.connections[0]?.received.map((f) => f.name)).toEqual(['connect']);
    expect(broker.scriptErrors).toEqual([]);
  });
});
