/**
 * Our packets (packets.ts) as mqtt-packet's objects (`messageId`, `granted`, `returnCode`,
 * `nl`/`rap`/`rh`...), one translation per packet type, for a packet that its check
 * (validation/packet-checks.ts) accepted.
 */
import type { Packet, PacketCmd, ProtocolVersion } from '../model/packets.js';
import { type Props, propsToWire } from './wire-model.js';

type ToWire<P extends Packet> = (p: P, v: ProtocolVersion, properties: Props | undefined) => object;

type PubAck = Extract<Packet, { cmd: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' }>;

const ack: ToWire<PubAck> = (p, _v, properties) => ({
  cmd: p.cmd,
  messageId: p.packetId,
  reasonCode: p.reasonCode ?? 0,
  properties,
});

/** DISCONNECT and AUTH translate alike: a reason code and properties. */
const coded: ToWire<Extract<Packet, { cmd: 'disconnect' | 'auth' }>> = (p, _v, properties) => ({
  cmd: p.cmd,
  reasonCode: p.reasonCode ?? 0,
  properties,
});

export const TO_WIRE: { readonly [C in PacketCmd]: ToWire<Extract<Packet, { cmd: C }>> } = {
  connect: (p, v, properties) => ({
    cmd: 'connect',
    // MQTT 3.1 names itself 'MQIsdp' at level 3 (its check allows it under the option 4 only).
    protocolId: p.protocolVersion === 3 ? 'MQIsdp' : 'MQTT',
    protocolVersion: p.protocolVersion === 3 ? 3 : v,
    clientId: p.clientId,
    clean: p.clean,
    keepalive: p.keepalive,
    username: p.username,
    password: p.password,
    will: p.will
      ? {
          topic: p.will.topic,
          payload: p.will.payload,
          qos: p.will.qos,
          retain: p.will.retain,
          properties: v === 5 ? propsToWire(p.will.properties) : undefined,
        }
      : undefined,
    properties,
  }),
  connack: (p, v, properties) =>
    v === 5
      ? { cmd: 'connack', sessionPresent: p.sessionPresent, reasonCode: p.reasonCode, properties }
      : { cmd: 'connack', sessionPresent: p.sessionPresent, returnCode: p.reasonCode },
  publish: (p, _v, properties) => ({
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
  puback: ack,
  pubrec: ack,
  pubrel: ack,
  pubcomp: ack,
  subscribe: (p, v, properties) => ({
    cmd: 'subscribe',
    messageId: p.packetId,
    subscriptions: p.subscriptions.map((s) =>
      v === 5
        ? {
            topic: s.topicFilter,
            qos: s.qos,
            nl: s.noLocal ?? false,
            rap: s.retainAsPublished ?? false,
            rh: s.retainHandling ?? 0,
          }
        : { topic: s.topicFilter, qos: s.qos },
    ),
    properties,
  }),
  suback: (p, _v, properties) => ({
    cmd: 'suback',
    messageId: p.packetId,
    granted: p.reasonCodes,
    properties,
  }),
  unsubscribe: (p, _v, properties) => ({
    cmd: 'unsubscribe',
    messageId: p.packetId,
    unsubscriptions: p.topicFilters,
    properties,
  }),
  unsuback: (p, _v, properties) => ({
    cmd: 'unsuback',
    messageId: p.packetId,
    granted: p.reasonCodes,
    properties,
  }),
  pingreq: () => ({ cmd: 'pingreq' }),
  pingresp: () => ({ cmd: 'pingresp' }),
  disconnect: coded,
  auth: coded,
};
