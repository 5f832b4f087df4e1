import type { CloseReason } from '@mqttkit/state';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type ConnectResult,
  createClient,
  type Message,
  type MqttClient,
  type PublishResult,
  type SubscribeResultWithInfo,
} from '../src/index.js';

describe('public types', () => {
  it('operations and events are typed', () => {
    const client = createClient({ url: 'mqtt://127.0.0.1:1', reconnect: false });
    expectTypeOf(client).toEqualTypeOf<MqttClient>();
    expectTypeOf(client.connect).returns.toEqualTypeOf<Promise<ConnectResult>>();
    expectTypeOf(client.publish).returns.toEqualTypeOf<Promise<PublishResult>>();
    expectTypeOf(client.subscribe).returns.toEqualTypeOf<Promise<SubscribeResultWithInfo[]>>();
    client.on('close', (reason) => expectTypeOf(reason).toEqualTypeOf<CloseReason>());
    client.on('message', (m) => expectTypeOf(m).toEqualTypeOf<Message>());
    client.on('state', (s) => expectTypeOf(s.reason).toEqualTypeOf<CloseReason | undefined>());
    // @ts-expect-error: not an event of the client
    client.on('nope', () => {});
    // @ts-expect-error: QoS 3 does not exist
    void client.publish('t', 'x', { qos: 3 }).catch(() => {});
  });
});
