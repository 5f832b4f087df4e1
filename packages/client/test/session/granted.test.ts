import { describe, expect, it } from 'vitest';
import { GrantedSubscriptions } from '../../src/session/granted.js';

describe('GrantedSubscriptions: what to restore on a new session', () => {
  it('restores each filter once, one SUBSCRIBE per distinct set of properties', () => {
    const granted = new GrantedSubscriptions();
    expect(granted.resubscribes()).toEqual([]);
    granted.record({ topicFilter: 'a', qos: 1 }, undefined);
    granted.record({ topicFilter: 'b', qos: 0 }, { subscriptionIdentifier: 7 });
    granted.record({ topicFilter: 'c', qos: 2 }, undefined);
    granted.record({ topicFilter: 'a', qos: 2 }, undefined); // granted again: the newer wins
    expect(granted.resubscribes().flatMap((op) => op.subscriptions)).toHaveLength(3);
    expect(granted.resubscribes()).toEqual([
      {
        kind: 'subscribe',
        subscriptions: [
          { topicFilter: 'a', qos: 2 },
          { topicFilter: 'c', qos: 2 },
        ],
        properties: undefined,
        deferred: undefined,
        internal: true,
      },
      {
        kind: 'subscribe',
        subscriptions: [{ topicFilter: 'b', qos: 0 }],
        properties: { subscriptionIdentifier: 7 },
        deferred: undefined,
        internal: true,
      },
    ]);
  });

  it('forgets an unsubscribed filter, and everything after a local end', () => {
    const granted = new GrantedSubscriptions();
    granted.record({ topicFilter: 'a', qos: 1 }, undefined);
    granted.record({ topicFilter: 'b', qos: 1 }, undefined);
    granted.forget('a');
    granted.forget('never-granted');
    expect(granted.resubscribes().flatMap((op) => op.subscriptions)).toEqual([
      { topicFilter: 'b', qos: 1 },
    ]);
    granted.clear();
    expect(granted.resubscribes()).toEqual([]);
  });
});
