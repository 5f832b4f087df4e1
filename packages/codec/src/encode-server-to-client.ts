/**
 * Encoders of the packets only a server sends: CONNACK, SUBACK, UNSUBACK and PINGRESP (spec
 * 2.1.2, "Direction of flow"). Not in the `@mqttkit/codec/client` entry.
 */

import { checkCode, checkPacketId, fail } from './encode-fields.js';
import type { PacketEncoders } from './encoder.js';
import {
  CONNACK_REASON_CODES,
  CONNACK_RETURN_CODES_V4,
  SUBACK_REASON_CODES,
  SUBACK_RETURN_CODES_V4,
  UNSUBACK_REASON_CODES,
} from './reason-codes.js';

export const SERVER_TO_CLIENT_ENCODERS: PacketEncoders = {
  connack: {
    validate(p, v) {
      if (typeof p.sessionPresent !== 'boolean') fail('CONNACK sessionPresent must be a boolean');
      checkCode(
        p.reasonCode,
        v === 5 ? CONNACK_REASON_CODES : CONNACK_RETURN_CODES_V4,
        'CONNACK reasonCode',
      );
      // [MQTT-3.2.2-4]
      if (p.reasonCode !== 0 && p.sessionPresent) fail('CONNACK refusal with sessionPresent');
    },
    toWire: (p, v, properties) =>
      v === 5
        ? { cmd: 'connack', sessionPresent: p.sessionPresent, reasonCode: p.reasonCode, properties }
        : { cmd: 'connack', sessionPresent: p.sessionPresent, returnCode: p.reasonCode },
  },
  suback: {
    validate(p, v) {
      checkPacketId(p.packetId, 'SUBACK');
      if (!Array.isArray(p.reasonCodes) || p.reasonCodes.length === 0) {
        fail('SUBACK needs at least one reason code');
      }
      for (const c of p.reasonCodes) {
        checkCode(c, v === 5 ? SUBACK_REASON_CODES : SUBACK_RETURN_CODES_V4, 'SUBACK reason code');
      }
    },
    toWire: (p, _v, properties) => ({
      cmd: 'suback',
      messageId: p.packetId,
      granted: p.reasonCodes,
      properties,
    }),
  },
  unsuback: {
    validate(p, v) {
      checkPacketId(p.packetId, 'UNSUBACK');
      if (!Array.isArray(p.reasonCodes)) fail('UNSUBACK reasonCodes must be an array');
      if (v === 4 && p.reasonCodes.length > 0) fail('UNSUBACK reasonCodes need MQTT 5');
      if (v === 5 && p.reasonCodes.length === 0) fail('UNSUBACK needs at least one reason code');
      for (const c of p.reasonCodes) checkCode(c, UNSUBACK_REASON_CODES, 'UNSUBACK reason code');
    },
    toWire: (p, _v, properties) => ({
      cmd: 'unsuback',
      messageId: p.packetId,
      granted: p.reasonCodes,
      properties,
    }),
  },
  pingresp: { validate() {}, toWire: () => ({ cmd: 'pingresp' }) },
};
