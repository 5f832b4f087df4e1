// The facade's parts on their own: the outbox's write backpressure and the CONNECT builder's
// client identifier and beforeConnect checks.
import type { Packet } from '@mqttkit/codec';
import type { Keepalive } from '@mqttkit/keepalive';
import { describe, expect, it, vi } from 'vitest';
import type { ClientEmitter } from '../src/client-emitter.js';
import { ConnectPackets } from '../src/connect-packet.js';
import type { Connection } from '../src/connection.js';
import { BeforeConnectError, InvalidOptionError } from '../src/errors.js';
import { noopLogger } from '../src/logger.js';
import { resolveOptions } from '../src/options.js';
import { Outbox } from '../src/outbox.js';

function parts() {
  const results: Array<'ok' | 'full' | 'dropped'> = [];
  const written: Packet[] = [];
  const connection = {
    write: (packet: Packet) => {
      written.push(packet);
      return results.shift() ?? 'ok';
    },
    fail: vi.fn(),
  } as unknown as Connection;
  const keepalive = { packetSent: vi.fn() } as unknown as Keepalive;
  const events: ClientEmitter = {
    emit: vi.fn(() => true),
    emitCollect: vi.fn(() => undefined),
  };
  const outbox = new Outbox(noopLogger, keepalive, events);
  return { outbox, connection, results, written, keepalive, events };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Outbox', () => {
  it('drops writes without a link, and writes to the attached one', () => {
    const { outbox, connection, written, keepalive, events } = parts();
    outbox.write([{ cmd: 'pingreq' }]);
    expect(written).toEqual([]);
    expect(keepalive.packetSent).not.toHaveBeenCalled();
    outbox.attach(connection);
    outbox.write([{ cmd: 'pingreq' }]);
    expect(written).toEqual([{ cmd: 'pingreq' }]);
    expect(keepalive.packetSent).toHaveBeenCalledTimes(1);
    expect(events.emit).toHaveBeenCalledWith('packetsend', { cmd: 'pingreq' });
  });

  it('a write above the high-water mark holds settlements until the drain', async () => {
    const { outbox, connection, results } = parts();
    outbox.attach(connection);
    const resolve = vi.fn();
    outbox.settleWhenWritable({ resolve, reject: vi.fn() }, 1);
    expect(resolve).toHaveBeenCalledWith(1);
    results.push('full');
    outbox.write([{ cmd: 'pingreq' }]);
    const held = vi.fn();
    outbox.settleWhenWritable({ resolve: held, reject: vi.fn() }, 2);
    await settle();
    expect(held).not.toHaveBeenCalled();
    outbox.drained();
    expect(held).toHaveBeenCalledWith(2);
  });

  it("the link's close settles what waited for its drain and stops writes to it", () => {
    const { outbox, connection, results, written } = parts();
    outbox.attach(connection);
    results.push('full');
    outbox.write([{ cmd: 'pingreq' }]);
    const held = vi.fn();
    outbox.settleWhenWritable({ resolve: held, reject: vi.fn() }, 3);
    outbox.detach(connection);
    expect(held).toHaveBeenCalledWith(3);
    outbox.write([{ cmd: 'pingreq' }]);
    expect(written).toHaveLength(1);
  });

  it('a CONNECT that cannot be encoded fails its link at once', () => {
    const { outbox, connection, events } = parts();
    const error = new Error('encode');
    (connection as unknown as { write: () => never }).write = () => {
      throw error;
    };
    outbox.attach(connection);
    outbox.write([{ cmd: 'connect', clientId: 'a', clean: true, keepalive: 60 }]);
    expect(events.emit).toHaveBeenCalledWith('error', error);
    expect(connection.fail).toHaveBeenCalledWith(error);
  });
});

describe('ConnectPackets', () => {
  const signal = new AbortController().signal;

  it('refuses options that cannot make a CONNECT', () => {
    const opts = resolveOptions({ url: 'mqtt://127.0.0.1', protocolVersion: 4, password: 'p' });
    expect(() => new ConnectPackets(opts)).toThrow(InvalidOptionError);
  });

  it('takes the identifier the broker assigned only when ours was empty', () => {
    const empty = new ConnectPackets(resolveOptions({ url: 'mqtt://127.0.0.1', clientId: '' }));
    const connack = {
      cmd: 'connack' as const,
      sessionPresent: false,
      reasonCode: 0,
      properties: { assignedClientIdentifier: 'given' },
    };
    empty.accepted(connack);
    expect(empty.build(undefined).clientId).toBe('given');
    const own = new ConnectPackets(resolveOptions({ url: 'mqtt://127.0.0.1', clientId: 'mine' }));
    own.accepted(connack);
    expect(own.build(undefined).clientId).toBe('mine');
  });

  it("applies an attempt's overrides and wraps a bad answer in BeforeConnectError", async () => {
    const opts = resolveOptions({
      url: 'mqtt://127.0.0.1',
      protocolVersion: 4,
      clientId: 'c',
      beforeConnect: ({ attempt }) =>
        attempt === 0 ? { username: 'u', password: 'secret' } : { password: 'no-username' },
    });
    const packets = new ConnectPackets(opts);
    const first = await packets.prepare(0, 0, signal);
    expect(packets.build(first)).toMatchObject({ username: 'u' });
    // 3.1.1 forbids a password without a username [MQTT-3.1.2-22].
    await expect(packets.prepare(1, 0, signal)).rejects.toBeInstanceOf(BeforeConnectError);
  });
});
