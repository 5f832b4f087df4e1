/**
 * Decoders of the packets only a server sends: CONNACK, SUBACK, UNSUBACK and PINGRESP (spec
 * 2.1.2, "Direction of flow").
 */
import type { PacketDecoders } from './check-frame.js';
import { emptyPacket } from './decode-both-ways.js';
import { MalformedPacketError, ProtocolError } from './errors.js';
import { packetId, properties, reasonCode } from './frame-reader.js';
import {
  CONNACK_REASON_CODES,
  CONNACK_RETURN_CODES_V4,
  SUBACK_REASON_CODES,
  SUBACK_RETURN_CODES_V4,
  UNSUBACK_REASON_CODES,
} from './reason-codes.js';
import { withProps } from './wire-model.js';

export const SERVER_TO_CLIENT_DECODERS: PacketDecoders = {
  2: {
    check(r, _flags, v, info) {
      const flags = r.u8('Connect Acknowledge Flags');
      if (flags & 0xfe) {
        throw new MalformedPacketError('CONNACK reserved flag bits 7-1 are not 0 [MQTT-3.2.2-1]');
      }
      const code =
        v === 5
          ? reasonCode(r, CONNACK_REASON_CODES)
          : reasonCode(r, CONNACK_RETURN_CODES_V4, 'return code');
      if (code !== 0 && flags & 0x01) {
        throw new ProtocolError(
          'CONNACK refuses the connection but sets Session Present [MQTT-3.2.2-4]',
        );
      }
      if (v === 5) properties(r, 'connack', info);
      r.done();
    },
    fromWire: (w, v, _info, props) =>
      withProps(
        {
          cmd: 'connack',
          sessionPresent: w.sessionPresent ?? false,
          reasonCode: (v === 5 ? w.reasonCode : w.returnCode) ?? 0,
        },
        props,
      ),
  },
  9: {
    check(r, _flags, v, info) {
      packetId(r);
      if (v === 5) properties(r, 'suback', info);
      if (r.left === 0) throw new ProtocolError('SUBACK has no reason codes');
      while (r.left > 0) {
        if (v === 5) reasonCode(r, SUBACK_REASON_CODES);
        else reasonCode(r, SUBACK_RETURN_CODES_V4, 'return code');
      }
    },
    fromWire: (w, _v, _info, props) =>
      withProps({ cmd: 'suback', packetId: w.messageId ?? 0, reasonCodes: w.granted ?? [] }, props),
  },
  11: {
    check(r, _flags, v, info) {
      packetId(r);
      if (v === 5) {
        properties(r, 'unsuback', info);
        if (r.left === 0) throw new ProtocolError('UNSUBACK has no reason codes');
        while (r.left > 0) reasonCode(r, UNSUBACK_REASON_CODES);
      }
      r.done();
    },
    fromWire: (w, _v, _info, props) =>
      withProps(
        { cmd: 'unsuback', packetId: w.messageId ?? 0, reasonCodes: w.granted ?? [] },
        props,
      ),
  },
  13: emptyPacket('pingresp'),
};
