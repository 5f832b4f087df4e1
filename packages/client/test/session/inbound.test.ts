import type { PublishPacket } from '@mqttkit/codec';
import { describe, expect, it } from 'vitest';
import { noopLogger } from '../../src/logger.js';
import { createMemoryStore } from '../../src/memory-store.js';
import { SessionContext } from '../../src/session/context.js';
import { InboundPublishes } from '../../src/session/inbound.js';

function inbound(protocolVersion: 4 | 5, incomingAliasMaximum = 0): InboundPublishes {
  return new InboundPublishes(
    new SessionContext({
      protocolVersion,
      store: createMemoryStore(),
      measure: () => 0,
      logger: noopLogger,
      incomingAliasMaximum,
      outgoingTopicAliases: false,
      resubscribe: true,
    }),
  );
}

const publish = (qos: 0 | 1 | 2, extra: Partial<PublishPacket> = {}): PublishPacket => ({
  cmd: 'publish',
  topic: 't',
  payload: new Uint8Array(0),
  qos,
  retain: false,
  dup: false,
  ...(qos > 0 ? { packetId: 5 } : {}),
  ...extra,
});

describe('InboundPublishes', () => {
  it('acks by QoS and delivers a QoS 2 message once until its PUBREL', () => {
    const s = inbound(5);
    expect(s.receive(publish(0))).toEqual({ send: [], message: publish(0) });
    expect(s.receive(publish(1)).send).toEqual([{ cmd: 'puback', packetId: 5 }]);
    const first = s.receive(publish(2));
    expect(first.send).toEqual([{ cmd: 'pubrec', packetId: 5 }]);
    expect(first.message).toBeDefined();
    const resent = s.receive(publish(2, { dup: true }));
    expect(resent).toEqual({ send: [{ cmd: 'pubrec', packetId: 5 }] });
    expect(s.receive({ cmd: 'pubrel', packetId: 5 }).send).toEqual([
      { cmd: 'pubcomp', packetId: 5 },
    ]);
    // Unknown under 5.0: said with 0x92; the id is free again, so a new message is delivered.
    expect(s.receive({ cmd: 'pubrel', packetId: 5 }).send).toEqual([
      { cmd: 'pubcomp', packetId: 5, reasonCode: 0x92 },
    ]);
    expect(s.receive(publish(2)).message).toBeDefined();
  });

  it('forgets QoS 2 ids on a new session, keeps them when the session is present', () => {
    const s = inbound(4);
    s.receive(publish(2));
    s.connected(true);
    expect(s.receive(publish(2)).message).toBeUndefined();
    s.connected(false);
    expect(s.receive(publish(2)).message).toBeDefined();
    expect(inbound(4).receive({ cmd: 'pubrel', packetId: 9 }).send).toEqual([
      { cmd: 'pubcomp', packetId: 9 },
    ]);
  });

  it('resolves topic aliases per link, and refuses one never bound', () => {
    const s = inbound(5, 2);
    s.receive(publish(0, { topic: 'a/b', properties: { topicAlias: 1 } }));
    const aliased = s.receive(publish(0, { topic: '', properties: { topicAlias: 1 } }));
    expect(aliased.message?.topic).toBe('a/b');
    s.connected(true);
    const unbound = s.receive(publish(0, { topic: '', properties: { topicAlias: 1 } }));
    expect(unbound.send).toEqual([]);
    expect(unbound.violation?.reasonCode).toBe(0x82);
    expect(unbound.message).toBeUndefined();
  });
});
