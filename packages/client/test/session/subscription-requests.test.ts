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
    requests.send(a, out);
    expect(out).toEqual([]);
    expect(requests.waiting).toBe(1);
    up();
    requests.sendWaiting(out);
    expect(out).toEqual([
      { cmd: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a', qos: 1 }] },
    ]);
    expect(requests.receiveAck('suback', 1, [1])).toEqual({ send: [] });
    expect(a.deferred).toBeUndefined(); // settled, once
    expect(granted.size).toBe(1);
    const u = unsubscribe('a');
    requests.send(u, out);
    requests.receiveAck('unsuback', 2, [0]);
    expect(granted.size).toBe(0);
  });

  it('sends again, first, what awaited an ack when the link ended', () => {
    const { context, requests, up } = setup();
    up();
    const a = subscribe('a');
    const b = subscribe('b');
    requests.send(a, []);
    context.link = undefined;
    requests.send(b, []);
    requests.linkLost();
    expect(context.ids.inUse).toBe(0);
    up();
    const out: Packet[] = [];
    requests.sendWaiting(out);
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
    requests.send(sent, []);
    requests.send(resent, []);
    context.link = undefined;
    requests.linkLost(); // both wait again; both were written once
    up();
    requests.send(subscribe('c'), []); // takes id 1 again: pending
    const never = unsubscribe('d');
    context.link = undefined;
    requests.send(never, []);
    const error = vi.fn((written: boolean) => written);
    requests.rejectAll(error);
    expect(error.mock.calls.map(([written]) => written)).toEqual([true, true, false, true]);
    expect(context.ids.inUse).toBe(0);
    expect(requests.waiting).toBe(0);
  });

  it('reports a SUBACK with the wrong number of codes as a protocol violation', () => {
    const { requests, up } = setup();
    up();
    requests.send(subscribe('a'), []);
    expect(requests.receiveAck('suback', 1, [0, 0]).violation).toEqual({
      reasonCode: 0x82,
      message: 'SUBACK has 2 codes for 1 filters',
    });
    expect(requests.receiveAck('unsuback', 9, [0])).toEqual({ send: [] });
  });
});
