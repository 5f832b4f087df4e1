/**
 * Encoders of the packets only a client sends: CONNECT, SUBSCRIBE, UNSUBSCRIBE and PINGREQ
 * (spec 2.1.2, "Direction of flow").
 */

import {
  checkBinary,
  checkPacketId,
  checkProperties,
  checkQos,
  checkString,
  checkTopic,
  fail,
  isInt,
} from './encode-fields.js';
import type { PacketEncoders } from './encoder.js';
import { validateTopicFilter } from './topic.js';
import { propsToWire } from './wire-model.js';

function checkFilter(filter: unknown, cmd: string): void {
  try {
    validateTopicFilter(filter as string);
  } catch (e) {
    fail(`${cmd} topicFilter: ${(e as Error).message}`, e);
  }
}

export const CLIENT_TO_SERVER_ENCODERS: PacketEncoders = {
  connect: {
    validate(p, v) {
      checkString(p.clientId, 'CONNECT clientId');
      if (typeof p.clean !== 'boolean') fail('CONNECT clean must be a boolean');
      if (!isInt(p.keepalive, 0, 0xffff))
        fail('CONNECT keepalive must be an integer 0-65535 seconds');
      if (p.protocolVersion !== undefined && p.protocolVersion !== v) {
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
    toWire: (p, v, properties) => ({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: v,
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
  },
  subscribe: {
    validate(p, v) {
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
    toWire: (p, v, properties) => ({
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
  },
  unsubscribe: {
    validate(p) {
      checkPacketId(p.packetId, 'UNSUBSCRIBE');
      // [MQTT-3.10.3-2]
      if (!Array.isArray(p.topicFilters) || p.topicFilters.length === 0) {
        fail('UNSUBSCRIBE needs at least one topic filter');
      }
      for (const f of p.topicFilters) checkFilter(f, 'UNSUBSCRIBE');
    },
    toWire: (p, _v, properties) => ({
      cmd: 'unsubscribe',
      messageId: p.packetId,
      unsubscriptions: p.topicFilters,
      properties,
    }),
  },
  pingreq: { validate() {}, toWire: () => ({ cmd: 'pingreq' }) },
};
