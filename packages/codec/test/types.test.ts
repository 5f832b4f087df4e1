import { describe, expectTypeOf, it } from 'vitest';
import type { CodecErrorCode, Packet, PublishPacket, QoS } from '../src/index.js';

describe('public types', () => {
  it('Packet narrows on cmd', () => {
    const narrow = (p: Packet) => (p.cmd === 'publish' ? p : undefined);
    expectTypeOf(narrow).returns.toEqualTypeOf<PublishPacket | undefined>();
    expectTypeOf<PublishPacket['qos']>().toEqualTypeOf<QoS>();
    expectTypeOf<PublishPacket['payload']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<Extract<Packet, { cmd: 'suback' }>['reasonCodes']>().toEqualTypeOf<number[]>();
    expectTypeOf<CodecErrorCode>().toEqualTypeOf<
      | 'MQTTKIT_ERR_MALFORMED_PACKET'
      | 'MQTTKIT_ERR_PROTOCOL'
      | 'MQTTKIT_ERR_PACKET_TOO_LARGE'
      | 'MQTTKIT_ERR_INVALID_PACKET'
      | 'MQTTKIT_ERR_INVALID_TOPIC'
    >();
  });
});
