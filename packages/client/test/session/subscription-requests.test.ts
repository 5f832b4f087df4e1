import type { Packet } from '@mqttkit/codec';
import { describe, expect, it, vi } from 'vitest';
import { noopLogger } from '../../src/logger.js';
import { createMemoryStore } from '../../src/memory-store.js';
import { SessionContext } from '../../src/session/context.js';
import { GrantedSubscriptions } from '../../src/session/granted.js';
import { SessionLink } from '../../src/session/link.js';
import { SubscriptionRequests } from '../../src/session/subscription-requests.js';
import type { SubscribeOp, UnsubscribeOp } from '../../src/session.js';

function setup() {
  const context = new SessionContext({
    protocolVersion: 5,
    store: createMemoryStore(),
    measure: () => 0,
    logger: noopLogger,
    incomingAliasMaximum: 0,
    outgoingTopicAliases: false,
    resubscribe: true,
  });
  const granted = new GrantedSubscriptions();
  const requests = new SubscriptionRequests(context, granted);
  const up = (): void => {
    context.link = new SessionLink(
      {
        sessionPresent: false,
        receiveMaximum: 10,
        maximumPacketSize: undefined,
        topicAliasMaximum: 0,
      },
      context.options,
    );
  };
  return { context, granted, requests, up };
}

const subscribe = (topicFilter: string): SubscribeOp => ({
  kind: 'subscribe',
  subscriptions: [{ topicFilter, qos: 1 }],
  properties: undefined,
  deferred: { resolve: vi.fn(), reject: vi.fn() },
  internal: false,
});

const unsubscribe = (topicFilter: string): UnsubscribeOp => ({
  kind: 'unsubscribe',
  topicFilters: [topicFilter],
  properties: undefined,
  deferred: { resolve: vi.fn(), reject: vi.fn() },
});

describe('SubscriptionRequests', () => {
  it('waits for a link, then sends in order and records what was granted', () => {
    const { requests, granted, up } = setup();
    const a = subscribe('a');
    const out: Packet[] = [];
    requests.sendAckable(a, out);
    expect(out).toEqual([]);
    expect(requests.waitingCount).toBe(1);
    up();
    requests.connected(out);
    expect(out).toEqual([
      { cmd: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a', qos: 1 }] },
    ]);
    expect(requests.receive({ cmd: 'suback', packetId: 1, reasonCodes: [1] })).toEqual({
      send: [],
    });
    expect(a.deferred).toBeUndefined(); // settled, once
    expect(granted.resubscribes()).toHaveLength(1);
    const u = unsubscribe('a');
    requests.sendAckable(u, out);
    requests.receive({ cmd: 'unsuback', packetId: 2, reasonCodes: [0] });
    expect(granted.resubscribes()).toEqual([]);
  });

  it('sends again, first, what awaited an ack when the link ended', () => {
    const { context, requests, up } = setup();
    up();
    const a = subscribe('a');
    const b = subscribe('b');
    requests.sendAckable(a, []);
    context.link = undefined;
    requests.sendAckable(b, []);
    requests.disconnected();
    expect(context.ids.inUse).toBe(0);
    up();
    const out: Packet[] = [];
    requests.connected(out);
    expect(out.map((p) => (p.cmd === 'subscribe' ? p.subscriptions[0]?.topicFilter : ''))).toEqual([
      'a',
      'b',
    ]);
  });

  it('rejects with written: true only what may have reached the broker', () => {
    const { context, requests, up } = setup();
    up();
    const sent = subscribe('a');
    const resent = subscribe('b');
    requests.sendAckable(sent, []);
    requests.sendAckable(resent, []);
    context.link = undefined;
    requests.disconnected(); // both wait again; both were written once
    up();
    requests.sendAckable(subscribe('c'), []); // takes id 1 again: pending
    const never = unsubscribe('d');
    context.link = undefined;
    requests.sendAckable(never, []);
    const error = vi.fn((written: boolean) => written);
    requests.rejectAll(error);
    expect(error.mock.calls.map(([written]) => written)).toEqual([true, true, false, true]);
    expect(context.ids.inUse).toBe(0);
    expect(requests.waitingCount).toBe(0);
  });

  it('reports a SUBACK with the wrong number of codes as a protocol violation', () => {
    const { requests, up } = setup();
    up();
    requests.sendAckable(subscribe('a'), []);
    expect(requests.receive({ cmd: 'suback', packetId: 1, reasonCodes: [0, 0] }).violation).toEqual(
      {
        reasonCode: 0x82,
        message: 'SUBACK has 2 codes for 1 filters',
      },
    );
    expect(requests.receive({ cmd: 'unsuback', packetId: 9, reasonCodes: [0] })).toEqual({
      send: [],
    });
  });
});
