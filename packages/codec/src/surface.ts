/**
 * What both entries, `@mqttkit/codec` (index.ts) and `@mqttkit/codec/client` (client.ts), export
 * besides their own `encode` and `createDecoder`: errors, packet types, constants, reason codes
 * and topic helpers.
 */
export { isPacketStart } from './framing/fixed-header.js';
export {
  CodecError,
  type CodecErrorCode,
  InvalidPacketError,
  InvalidTopicError,
  MalformedPacketError,
  PacketTooLargeError,
  ProtocolError,
} from './model/errors.js';
export {
  type AckProperties,
  type AuthPacket,
  type AuthProperties,
  type ConnackPacket,
  type ConnackProperties,
  type ConnectPacket,
  type ConnectProperties,
  type ConnectProtocolVersion,
  DEFAULT_MAX_PACKET_SIZE,
  type DisconnectPacket,
  type DisconnectProperties,
  MAX_REMAINING_LENGTH,
  type Packet,
  type PacketCmd,
  type PingreqPacket,
  type PingrespPacket,
  PROTOCOL_MAX_PACKET_SIZE,
  PROTOCOL_VERSIONS,
  type ProtocolVersion,
  type PubackPacket,
  type PubcompPacket,
  type PublishPacket,
  type PublishProperties,
  type PubrecPacket,
  type PubrelPacket,
  type QoS,
  type SubackPacket,
  type SubscribePacket,
  type SubscribeProperties,
  type Subscription,
  type UnsubackPacket,
  type UnsubscribePacket,
  type UnsubscribeProperties,
  type UserProperties,
  type Will,
  type WillProperties,
} from './model/packets.js';
export { isFailureReasonCode, ReasonCode, reasonCodeName } from './model/reason-codes.js';
export {
  parseSharedSubscription,
  topicMatches,
  validateTopic,
  validateTopicFilter,
} from './model/topic.js';
