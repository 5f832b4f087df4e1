import { encode, type Packet, type PublishPacket } from '@mqttkit/codec';
import { describe, expect, it } from 'vitest';
import { noopLogger } from '../../src/logger.js';
import { createMemoryStore } from '../../src/memory-store.js';
import { SessionLink } from '../../src/session/link.js';
import type { LinkParams, SessionOptions } from '../../src/session.js';

function options(protocolVersion: 4 | 5, measured: Packet[] = []): SessionOptions {
  return {
    protocolVersion,
    store: createMemoryStore(),
    measure: (p) => {
      measured.push(p);
      return encode(p, { protocolVersion }).length;
    },
    logger: noopLogger,
    incomingAliasMaximum: 0,
    outgoingTopicAliases: true,
    resubscribe: true,
  };
}

const params: LinkParams = {
  sessionPresent: false,
  receiveMaximum: 2,
  maximumPacketSize: undefined,
  topicAliasMaximum: 4,
};

const publish = (topic: string, payload = new Uint8Array(1)): PublishPacket => ({
  cmd: 'publish',
  topic,
  payload,
  qos: 1,
  retain: false,
  dup: false,
});

describe('SessionLink: what lives and dies with one link', () => {
  it('has a send window of the broker Receive Maximum, fresh on each link', () => {
    const first = new SessionLink(params, options(5));
    expect([first.takeSlot(), first.takeSlot(), first.takeSlot()]).toEqual([true, true, false]);
    first.releaseSlot();
    expect(first.takeSlot()).toBe(true);
    const next = new SessionLink(params, options(5));
    expect(next.takeSlot()).toBe(true);
  });

  it('aliases outgoing topics under MQTT 5 only, and only when allowed', () => {
    const v5 = new SessionLink(params, options(5));
    expect(v5.wire(publish('a/b'))).toMatchObject({ topic: 'a/b', properties: { topicAlias: 1 } });
    expect(v5.wire(publish('a/b'))).toMatchObject({ topic: '', properties: { topicAlias: 1 } });
    // A new link starts with no mappings [MQTT-3.3.2-7].
    const next = new SessionLink(params, options(5));
    expect(next.wire(publish('a/b')).topic).toBe('a/b');
    const packet = publish('a/b');
    expect(new SessionLink(params, options(4)).wire(packet)).toBe(packet);
    const off = { ...options(5), outgoingTopicAliases: false };
    expect(new SessionLink(params, off).wire(packet)).toBe(packet);
  });

  it('refuses what exceeds the broker Maximum Packet Size, measuring only when it may', () => {
    const measured: Packet[] = [];
    const link = new SessionLink({ ...params, maximumPacketSize: 40 }, options(5, measured));
    expect(link.checkSize(publish('t'))).toBeUndefined();
    expect(measured).toHaveLength(0); // even its largest encoding fits: not encoded
    const error = link.checkSize(publish('t', new Uint8Array(64)));
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_PACKET_TOO_LARGE_FOR_BROKER' });
    expect(error?.maximumPacketSize).toBe(40);
    // Measured with a packet id, which it takes only later.
    expect(measured).toHaveLength(1);
    expect(measured[0]).toMatchObject({ packetId: 1 });
    expect(new SessionLink(params, options(5)).checkSize(publish('t', new Uint8Array(1e5)))).toBe(
      undefined,
    );
  });
});
