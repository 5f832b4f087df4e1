/**
 * Encoders of the packets that flow both ways: PUBLISH, its four acknowledgements, and under
 * MQTT 5 DISCONNECT and AUTH.
 */

import { checkCode, checkPacketId, checkQos, checkTopic, fail } from './encode-fields.js';
import type { PacketEncoder, PacketEncoders } from './encoder.js';
import type {
  AuthPacket,
  DisconnectPacket,
  PubackPacket,
  PubcompPacket,
  PublishPacket,
  PubrecPacket,
  PubrelPacket,
} from './packets.js';
import {
  AUTH_REASON_CODES,
  DISCONNECT_REASON_CODES,
  PUBACK_REASON_CODES,
  PUBREL_REASON_CODES,
} from './reason-codes.js';

export const PUBLISH_ENCODER: PacketEncoder<PublishPacket> = {
  validate(p, v) {
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
  toWire: (p, _v, properties) => ({
    cmd: 'publish',
    topic: p.topic,
    // As it is: writeToStream measures and writes any Uint8Array, Buffer or not.
    payload: p.payload,
    qos: p.qos,
    retain: p.retain,
    dup: p.dup,
    messageId: p.packetId,
    properties,
  }),
};

type PubAck = PubackPacket | PubrecPacket | PubrelPacket | PubcompPacket;

const ACK_ENCODER: PacketEncoder<PubAck> = {
  validate(p, v) {
    const name = p.cmd.toUpperCase();
    checkPacketId(p.packetId, name);
    if (p.reasonCode !== undefined && p.reasonCode !== 0) {
      if (v === 4) fail(`${name} reasonCode needs MQTT 5`);
      const codes =
        p.cmd === 'puback' || p.cmd === 'pubrec' ? PUBACK_REASON_CODES : PUBREL_REASON_CODES;
      checkCode(p.reasonCode, codes, `${name} reasonCode`);
    }
  },
  toWire: (p, _v, properties) => ({
    cmd: p.cmd,
    messageId: p.packetId,
    reasonCode: p.reasonCode ?? 0,
    properties,
  }),
};

/** DISCONNECT and AUTH translate alike: a reason code and properties. */
const toWireCoded = (
  p: DisconnectPacket | AuthPacket,
  _v: unknown,
  properties: object | undefined,
): object => ({ cmd: p.cmd, reasonCode: p.reasonCode ?? 0, properties });

export const BOTH_WAYS_ENCODERS: PacketEncoders = {
  publish: PUBLISH_ENCODER,
  puback: ACK_ENCODER,
  pubrec: ACK_ENCODER,
  pubrel: ACK_ENCODER,
  pubcomp: ACK_ENCODER,
  disconnect: {
    validate(p, v) {
      if (p.reasonCode !== undefined && p.reasonCode !== 0) {
        if (v === 4) fail('DISCONNECT reasonCode needs MQTT 5');
        checkCode(p.reasonCode, DISCONNECT_REASON_CODES, 'DISCONNECT reasonCode');
      }
    },
    toWire: toWireCoded,
  },
  auth: {
    validate(p, v) {
      if (v === 4) fail('AUTH is an MQTT 5 packet');
      if (p.reasonCode !== undefined) checkCode(p.reasonCode, AUTH_REASON_CODES, 'AUTH reasonCode');
    },
    toWire: toWireCoded,
  },
};
