/**
 * The checks of a packet object given to `encode`, one per packet type: each throws
 * `InvalidPacketError` for a field that cannot be sent. Properties are checked apart, by
 * `checkProperties` (packet-fields.ts), for every type alike.
 */
import type { Packet, PacketCmd, ProtocolVersion } from '../model/packets.js';
import {
  AUTH_REASON_CODES,
  CONNACK_REASON_CODES,
  CONNACK_RETURN_CODES_V4,
  DISCONNECT_REASON_CODES,
  PUBACK_REASON_CODES,
  PUBREL_REASON_CODES,
  SUBACK_REASON_CODES,
  SUBACK_RETURN_CODES_V4,
  UNSUBACK_REASON_CODES,
} from '../model/reason-codes.js';
import { validateTopicFilter } from '../model/topic.js';
import { utf8ByteLength } from '../model/utf8.js';
import {
  checkBinary,
  checkCode,
  checkPacketId,
  checkProperties,
  checkQos,
  checkString,
  checkTopic,
  fail,
  isInt,
} from './packet-fields.js';

/** The check of one packet type's fields. */
export type PacketCheck<P extends Packet> = (p: P, v: ProtocolVersion) => void;

export type PacketChecks = { readonly [C in PacketCmd]: PacketCheck<Extract<Packet, { cmd: C }>> };

function checkFilter(filter: unknown, cmd: string): void {
  try {
    validateTopicFilter(filter as string);
  } catch (e) {
    fail(`${cmd} topicFilter: ${(e as Error).message}`, e);
  }
}

type PubAck = Extract<Packet, { cmd: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' }>;

function checkAck(p: PubAck, v: ProtocolVersion): void {
  const name = p.cmd.toUpperCase();
  checkPacketId(p.packetId, name);
  if (p.reasonCode !== undefined && p.reasonCode !== 0) {
    if (v === 4) fail(`${name} reasonCode needs MQTT 5`);
    const codes =
      p.cmd === 'puback' || p.cmd === 'pubrec' ? PUBACK_REASON_CODES : PUBREL_REASON_CODES;
    checkCode(p.reasonCode, codes, `${name} reasonCode`);
  }
}

const noFields = (): void => {};

export const PACKET_CHECKS: PacketChecks = {
  connect(p, v) {
    checkString(p.clientId, 'CONNECT clientId');
    if (typeof p.clean !== 'boolean') fail('CONNECT clean must be a boolean');
    if (!isInt(p.keepalive, 0, 0xffff))
      fail('CONNECT keepalive must be an integer 0-65535 seconds');
    if (p.protocolVersion === 3) {
      // MQTT 3.1 frames like 3.1.1 after CONNECT; its Client Identifier is 1 to 23 characters
      // (MQTT 3.1 section 3.1, CONNECT payload), checked here as UTF-8 bytes, the stricter reading
      // (3.1.1 [MQTT-3.1.3-5] keeps 1-23 bytes as what every server must accept).
      if (v !== 4) fail('an MQTT 3.1 CONNECT (protocolVersion 3) is encoded under the option 4');
      const length = utf8ByteLength(p.clientId);
      if (length < 1 || length > 23) fail('an MQTT 3.1 CONNECT clientId is 1-23 bytes');
    } else if (p.protocolVersion !== undefined && p.protocolVersion !== v) {
      fail(`CONNECT protocolVersion ${p.protocolVersion} differs from the encode option ${v}`);
    }
    // [MQTT-3.1.3-7]; mqtt-packet enforces it under MQTT 5 too.
    if (p.clientId === '' && !p.clean) fail('CONNECT with an empty clientId needs clean: true');
    if (p.username !== undefined) checkString(p.username, 'CONNECT username');
    if (p.password !== undefined) {
      checkBinary(p.password, 'CONNECT password');
      // [MQTT-3.1.2-22]; mqtt-packet enforces it under MQTT 5 too.
      if (p.username === undefined) fail('CONNECT password needs a username');
    }
    if (p.will !== undefined) {
      checkTopic(p.will.topic, 'CONNECT will topic', v, false);
      checkBinary(p.will.payload, 'CONNECT will payload');
      checkQos(p.will.qos, 'CONNECT will qos');
      if (typeof p.will.retain !== 'boolean') fail('CONNECT will retain must be a boolean');
      checkProperties(p.will.properties, 'will', v);
    }
  },
  connack(p, v) {
    if (typeof p.sessionPresent !== 'boolean') fail('CONNACK sessionPresent must be a boolean');
    checkCode(
      p.reasonCode,
      v === 5 ? CONNACK_REASON_CODES : CONNACK_RETURN_CODES_V4,
      'CONNACK reasonCode',
    );
    // [MQTT-3.2.2-4]
    if (p.reasonCode !== 0 && p.sessionPresent) fail('CONNACK refusal with sessionPresent');
  },
  publish(p, v) {
    checkQos(p.qos, 'PUBLISH qos');
    if (typeof p.retain !== 'boolean' || typeof p.dup !== 'boolean') {
      fail('PUBLISH retain and dup must be booleans');
    }
    if (p.qos === 0) {
      // [MQTT-2.2.1-2] no Packet Identifier at QoS 0; [MQTT-3.3.1-2] no DUP at QoS 0.
      if (p.packetId !== undefined) fail('PUBLISH QoS 0 must not have a packetId');
      if (p.dup) fail('PUBLISH QoS 0 must not set dup [MQTT-3.3.1-2]');
    } else checkPacketId(p.packetId, 'PUBLISH');
    checkTopic(p.topic, 'PUBLISH topic', v, p.properties?.topicAlias !== undefined);
    if (!(p.payload instanceof Uint8Array)) fail('PUBLISH payload must be a Uint8Array');
  },
  puback: checkAck,
  pubrec: checkAck,
  pubrel: checkAck,
  pubcomp: checkAck,
  subscribe(p, v) {
    checkPacketId(p.packetId, 'SUBSCRIBE');
    // [MQTT-3.8.3-3]
    if (!Array.isArray(p.subscriptions) || p.subscriptions.length === 0) {
      fail('SUBSCRIBE needs at least one subscription');
    }
    for (const s of p.subscriptions) {
      checkFilter(s.topicFilter, 'SUBSCRIBE');
      checkQos(s.qos, 'SUBSCRIBE qos');
      if (v === 4 && (s.noLocal || s.retainAsPublished || s.retainHandling)) {
        fail('SUBSCRIBE noLocal/retainAsPublished/retainHandling need MQTT 5');
      }
      if (s.retainHandling !== undefined && !isInt(s.retainHandling, 0, 2)) {
        fail('SUBSCRIBE retainHandling must be 0, 1 or 2');
      }
      // [MQTT-3.8.3-4] No Local on a shared subscription is a Protocol Error.
      if (s.noLocal && s.topicFilter.startsWith('$share/')) {
        fail('SUBSCRIBE noLocal is not allowed on a shared subscription [MQTT-3.8.3-4]');
      }
    }
  },
  suback(p, v) {
    checkPacketId(p.packetId, 'SUBACK');
    if (!Array.isArray(p.reasonCodes) || p.reasonCodes.length === 0) {
      fail('SUBACK needs at least one reason code');
    }
    for (const c of p.reasonCodes) {
      checkCode(c, v === 5 ? SUBACK_REASON_CODES : SUBACK_RETURN_CODES_V4, 'SUBACK reason code');
    }
  },
  unsubscribe(p) {
    checkPacketId(p.packetId, 'UNSUBSCRIBE');
    // [MQTT-3.10.3-2]
    if (!Array.isArray(p.topicFilters) || p.topicFilters.length === 0) {
      fail('UNSUBSCRIBE needs at least one topic filter');
    }
    for (const f of p.topicFilters) checkFilter(f, 'UNSUBSCRIBE');
  },
  unsuback(p, v) {
    checkPacketId(p.packetId, 'UNSUBACK');
    if (!Array.isArray(p.reasonCodes)) fail('UNSUBACK reasonCodes must be an array');
    if (v === 4 && p.reasonCodes.length > 0) fail('UNSUBACK reasonCodes need MQTT 5');
    if (v === 5 && p.reasonCodes.length === 0) fail('UNSUBACK needs at least one reason code');
    for (const c of p.reasonCodes) checkCode(c, UNSUBACK_REASON_CODES, 'UNSUBACK reason code');
  },
  pingreq: noFields,
  pingresp: noFields,
  disconnect(p, v) {
    if (p.reasonCode !== undefined && p.reasonCode !== 0) {
      if (v === 4) fail('DISCONNECT reasonCode needs MQTT 5');
      checkCode(p.reasonCode, DISCONNECT_REASON_CODES, 'DISCONNECT reasonCode');
    }
  },
  auth(p, v) {
    if (v === 4) fail('AUTH is an MQTT 5 packet');
    if (p.reasonCode !== undefined) checkCode(p.reasonCode, AUTH_REASON_CODES, 'AUTH reasonCode');
  },
};
