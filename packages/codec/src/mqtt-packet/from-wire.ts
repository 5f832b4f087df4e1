/**
 * mqtt-packet's parsed objects as our packets (packets.ts), one translation per packet type, for
 * a frame that its walk (validation/frame-checks.ts) accepted. User Properties come from the
 * walk (`FrameInfo`), not from mqtt-packet (see `propsFromWire`).
 */
import type { FrameInfo } from '../framing/frame-reader.js';
import type {
  ConnectProtocolVersion,
  Packet,
  PacketCmd,
  ProtocolVersion,
  QoS,
} from '../model/packets.js';
import { plainBytes as u8 } from '../model/plain-bytes.js';
import { type Props, propsFromWire, type WirePacket, withProps } from './wire-model.js';

type FromWire = (
  w: WirePacket,
  v: ProtocolVersion,
  info: FrameInfo,
  props: Props | undefined,
) => Packet;

const ack: FromWire = (w, _v, _info, props) =>
  withProps(
    {
      cmd: w.cmd as 'puback' | 'pubrec' | 'pubrel' | 'pubcomp',
      packetId: w.messageId ?? 0,
      reasonCode: w.reasonCode ?? 0,
    },
    props,
  );

const coded =
  (cmd: 'disconnect' | 'auth'): FromWire =>
  (w, _v, _info, props) =>
    withProps({ cmd, reasonCode: w.reasonCode ?? 0 }, props);

export const FROM_WIRE: { readonly [C in PacketCmd]: FromWire } = {
  connect(w, _v, info, props) {
    const p: Packet = {
      cmd: 'connect',
      protocolVersion: w.protocolVersion as ConnectProtocolVersion,
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
  connack: (w, v, _info, props) =>
    withProps(
      {
        cmd: 'connack',
        sessionPresent: w.sessionPresent ?? false,
        reasonCode: (v === 5 ? w.reasonCode : w.returnCode) ?? 0,
      },
      props,
    ),
  publish(w, _v, _info, props) {
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
  puback: ack,
  pubrec: ack,
  pubrel: ack,
  pubcomp: ack,
  subscribe: (w, v, _info, props) =>
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
  suback: (w, _v, _info, props) =>
    withProps({ cmd: 'suback', packetId: w.messageId ?? 0, reasonCodes: w.granted ?? [] }, props),
  unsubscribe: (w, _v, _info, props) =>
    withProps(
      { cmd: 'unsubscribe', packetId: w.messageId ?? 0, topicFilters: w.unsubscriptions ?? [] },
      props,
    ),
  unsuback: (w, _v, _info, props) =>
    withProps({ cmd: 'unsuback', packetId: w.messageId ?? 0, reasonCodes: w.granted ?? [] }, props),
  pingreq: () => ({ cmd: 'pingreq' }),
  pingresp: () => ({ cmd: 'pingresp' }),
  disconnect: coded('disconnect'),
  auth: coded('auth'),
};
