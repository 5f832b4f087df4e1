/**
 * Decoders of the packets only a client sends: CONNECT, SUBSCRIBE, UNSUBSCRIBE and PINGREQ
 * (spec 2.1.2, "Direction of flow"). Not in the `@mqttkit/codec/client` entry.
 */
import type { PacketDecoders } from './check-frame.js';
import { emptyPacket } from './decode-both-ways.js';
import { MalformedPacketError, ProtocolError } from './errors.js';
import { packetId, properties, topicName } from './frame-reader.js';
import type { Packet, ProtocolVersion, QoS } from './packets.js';
import { propsFromWire, u8, withProps } from './wire-model.js';

export const CLIENT_TO_SERVER_DECODERS: PacketDecoders = {
  1: {
    // The packet's own Protocol Level applies, not the decoder's version.
    check(r, _flags, _v, info) {
      const name = r.string('Protocol Name');
      if (name !== 'MQTT')
        throw new ProtocolError(`unsupported Protocol Name '${name}' [MQTT-3.1.2-1]`);
      const level = r.u8('Protocol Level');
      if (level !== 4 && level !== 5) {
        throw new ProtocolError(`unsupported Protocol Level ${level} [MQTT-3.1.2-2]`);
      }
      const flags = r.u8('Connect Flags');
      if (flags & 0x01)
        throw new MalformedPacketError('CONNECT reserved flag bit 0 is set [MQTT-3.1.2-3]');
      const will = (flags & 0x04) !== 0;
      const willQos = (flags >> 3) & 0x03;
      if (willQos === 3) throw new MalformedPacketError('CONNECT Will QoS is 3 [MQTT-3.1.2-14]');
      if (!will && (willQos !== 0 || flags & 0x20)) {
        throw new MalformedPacketError(
          'CONNECT Will QoS/Retain set without the Will Flag [MQTT-3.1.2-11]',
        );
      }
      const hasUser = (flags & 0x80) !== 0;
      const hasPassword = (flags & 0x40) !== 0;
      if (level === 4 && hasPassword && !hasUser) {
        throw new MalformedPacketError(
          'CONNECT Password Flag set without User Name Flag [MQTT-3.1.2-22]',
        );
      }
      r.u16('Keep Alive');
      if (level === 5) properties(r, 'connect', info);
      r.string('Client Identifier');
      if (will) {
        if (level === 5) properties(r, 'will', info);
        topicName(r, 'Will Topic', level, false);
        r.binary('Will Payload');
      }
      if (hasUser) r.string('User Name');
      if (hasPassword) r.binary('Password');
      r.done();
    },
    fromWire(w, _v, info, props) {
      const p: Packet = {
        cmd: 'connect',
        protocolVersion: w.protocolVersion as ProtocolVersion,
        clientId: w.clientId ?? '',
        clean: w.clean ?? false,
        keepalive: w.keepalive ?? 0,
      };
      if (w.username !== undefined) p.username = w.username;
      if (w.password !== undefined) p.password = u8(w.password);
      if (w.will) {
        p.will = withProps(
          {
            topic: w.will.topic,
            payload: u8(w.will.payload),
            qos: w.will.qos as QoS,
            retain: w.will.retain,
          },
          propsFromWire(w.will.properties, info.willUserProperties),
        );
      }
      return withProps(p, props);
    },
  },
  8: {
    check(r, _flags, v, info) {
      packetId(r);
      if (v === 5) properties(r, 'subscribe', info);
      if (r.left === 0) throw new ProtocolError('SUBSCRIBE has no topic filters [MQTT-3.8.3-3]');
      while (r.left > 0) {
        r.string('Topic Filter');
        const options = r.u8('Subscription Options');
        if (v === 4 && options & 0xfc) {
          throw new MalformedPacketError(
            'SUBSCRIBE reserved option bits 7-2 are not 0 [MQTT-3.8.3-4]',
          );
        }
        if (v === 5 && options & 0xc0) {
          throw new MalformedPacketError(
            'SUBSCRIBE reserved option bits 7-6 are not 0 [MQTT-3.8.3-5]',
          );
        }
        if ((options & 0x03) === 3) throw new MalformedPacketError('SUBSCRIBE requests QoS 3');
        if (((options >> 4) & 0x03) === 3) {
          throw new ProtocolError('SUBSCRIBE Retain Handling is 3');
        }
      }
    },
    fromWire: (w, v, _info, props) =>
      withProps(
        {
          cmd: 'subscribe',
          packetId: w.messageId ?? 0,
          subscriptions: (w.subscriptions ?? []).map((s) =>
            v === 5
              ? {
                  topicFilter: s.topic,
                  qos: s.qos as QoS,
                  noLocal: s.nl ?? false,
                  retainAsPublished: s.rap ?? false,
                  retainHandling: (s.rh ?? 0) as 0 | 1 | 2,
                }
              : { topicFilter: s.topic, qos: s.qos as QoS },
          ),
        },
        props,
      ),
  },
  10: {
    check(r, _flags, v, info) {
      packetId(r);
      if (v === 5) properties(r, 'unsubscribe', info);
      if (r.left === 0) {
        throw new ProtocolError('UNSUBSCRIBE has no topic filters [MQTT-3.10.3-2]');
      }
      while (r.left > 0) r.string('Topic Filter');
    },
    fromWire: (w, _v, _info, props) =>
      withProps(
        { cmd: 'unsubscribe', packetId: w.messageId ?? 0, topicFilters: w.unsubscriptions ?? [] },
        props,
      ),
  },
  12: emptyPacket('pingreq'),
};
