/**
 * Decoders of the packets that flow both ways: PUBLISH, its four acknowledgements, and under
 * MQTT 5 DISCONNECT and AUTH.
 */
import type { PacketDecoder, PacketDecoders } from './check-frame.js';
import { ProtocolError } from './errors.js';
import { checkTopicName, packetId, properties, reasonCode } from './frame-reader.js';
import type { Packet, QoS } from './packets.js';
import type { PropertyContext } from './properties.js';
import {
  AUTH_REASON_CODES,
  DISCONNECT_REASON_CODES,
  PUBACK_REASON_CODES,
  PUBREL_REASON_CODES,
} from './reason-codes.js';
import { u8, withProps } from './wire-model.js';

const publish: PacketDecoder = {
  check(r, flags, v, info) {
    const qos = (flags >> 1) & 0x03;
    if (qos === 0 && flags & 0x08)
      throw new ProtocolError('PUBLISH QoS 0 with DUP set [MQTT-3.3.1-2]');
    const topic = r.string('Topic Name');
    const id = qos > 0 ? packetId(r) : undefined;
    let names: Set<string> | undefined;
    if (v === 5) names = properties(r, 'publish', info);
    // Checked now that we know whether a Topic Alias stands in for it [MQTT-3.3.2-1].
    checkTopicName(r, topic, 'Topic Name', v, names?.has('topicAlias') === true);
    // The rest is the payload: any bytes.
    if (names === undefined || names.size === 0) {
      info.plainPublish = { topic, packetId: id, payloadStart: r.pos };
    }
  },
  fromWire(w, _v, _info, props) {
    const p: Packet = {
      cmd: 'publish',
      topic: w.topic ?? '',
      payload: u8(w.payload ?? new Uint8Array(0)),
      qos: (w.qos ?? 0) as QoS,
      retain: w.retain ?? false,
      dup: w.dup ?? false,
    };
    if (p.qos > 0) p.packetId = w.messageId ?? 0;
    if (props && props.subscriptionIdentifier !== undefined) {
      const ids = props.subscriptionIdentifier;
      delete props.subscriptionIdentifier;
      props.subscriptionIdentifiers = Array.isArray(ids) ? ids : [ids];
    }
    return withProps(p, props);
  },
};

function ack(codes: ReadonlySet<number>): PacketDecoder {
  return {
    check(r, _flags, v, info) {
      packetId(r);
      if (v === 5) {
        // [MQTT-3.4.2-1] Reason Code and Property Length may be omitted.
        if (r.left > 0) reasonCode(r, codes);
        if (r.left > 0) properties(r, r.packet.toLowerCase() as PropertyContext, info);
      }
      r.done();
    },
    fromWire: (w, _v, _info, props) =>
      withProps(
        {
          cmd: w.cmd as 'puback' | 'pubrec' | 'pubrel' | 'pubcomp',
          packetId: w.messageId ?? 0,
          reasonCode: w.reasonCode ?? 0,
        },
        props,
      ),
  };
}

/** DISCONNECT and AUTH: under MQTT 5 a reason code and properties, both optional. */
function coded(codes: ReadonlySet<number>, ctx: 'disconnect' | 'auth'): PacketDecoder {
  return {
    check(r, _flags, v, info) {
      if (v === 5) {
        // [MQTT-3.14.2-1] / 3.15.2.1: both fields may be omitted (Remaining Length 0 or 1).
        if (r.left > 0) reasonCode(r, codes);
        if (r.left > 0) properties(r, ctx, info);
      }
      r.done();
    },
    fromWire: (w, _v, _info, props) =>
      withProps({ cmd: ctx, reasonCode: w.reasonCode ?? 0 }, props),
  };
}

const pubAck = ack(PUBACK_REASON_CODES);
const pubRel = ack(PUBREL_REASON_CODES);

export const BOTH_WAYS_DECODERS: PacketDecoders = {
  3: publish,
  4: pubAck,
  5: pubAck,
  6: pubRel,
  7: pubRel,
  14: coded(DISCONNECT_REASON_CODES, 'disconnect'),
  15: coded(AUTH_REASON_CODES, 'auth'),
};

/** PINGREQ and PINGRESP: no body. */
export function emptyPacket(cmd: 'pingreq' | 'pingresp'): PacketDecoder {
  return { check: (r) => r.done(), fromWire: () => ({ cmd }) };
}
