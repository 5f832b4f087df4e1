/**
 * Every error this package throws or reports is a `CodecError` with a stable `code`.
 * Match on `code`, not `instanceof`: two copies of the package can be loaded at once.
 */
export type CodecErrorCode =
  | 'MQTTKIT_ERR_MALFORMED_PACKET'
  | 'MQTTKIT_ERR_PROTOCOL'
  | 'MQTTKIT_ERR_PACKET_TOO_LARGE'
  | 'MQTTKIT_ERR_INVALID_PACKET'
  | 'MQTTKIT_ERR_INVALID_TOPIC';

/** The base of the codec's errors: a stable `code`, and the MQTT 5 reason code it maps to. */
export class CodecError extends Error {
  readonly code: CodecErrorCode;
  /** The MQTT 5 reason code this failure maps to (for a DISCONNECT or the `close` event). */
  readonly reasonCode: number | undefined;

  constructor(
    code: CodecErrorCode,
    message: string,
    reasonCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CodecError';
    this.code = code;
    this.reasonCode = reasonCode;
  }
}

/** Inbound bytes that cannot be a valid MQTT packet (reason code 0x81). */
export class MalformedPacketError extends CodecError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MQTTKIT_ERR_MALFORMED_PACKET', `Malformed packet: ${message}`, 0x81, options);
    this.name = 'MalformedPacketError';
  }
}

/** Inbound bytes that are well formed but forbidden by the specification (reason code 0x82). */
export class ProtocolError extends CodecError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MQTTKIT_ERR_PROTOCOL', `Protocol error: ${message}`, 0x82, options);
    this.name = 'ProtocolError';
  }
}

/** An inbound packet larger than the decoder's `maxPacketSize` (reason code 0x95). */
export class PacketTooLargeError extends CodecError {
  readonly size: number;
  readonly maxPacketSize: number;

  constructor(size: number, maxPacketSize: number) {
    super(
      'MQTTKIT_ERR_PACKET_TOO_LARGE',
      `Packet too large: ${size} bytes exceeds the maximum packet size of ${maxPacketSize} bytes`,
      0x95,
    );
    this.name = 'PacketTooLargeError';
    this.size = size;
    this.maxPacketSize = maxPacketSize;
  }
}

/** A packet object given to `encode` that cannot be sent (a caller bug, no reason code). */
export class InvalidPacketError extends CodecError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MQTTKIT_ERR_INVALID_PACKET', `Invalid packet: ${message}`, undefined, options);
    this.name = 'InvalidPacketError';
  }
}

/** A topic name (0x90) or topic filter (0x8F) that breaks the topic rules. */
export class InvalidTopicError extends CodecError {
  readonly topic: string;

  constructor(kind: 'name' | 'filter', topic: string, message: string) {
    super(
      'MQTTKIT_ERR_INVALID_TOPIC',
      `Invalid topic ${kind}: ${message}`,
      kind === 'name' ? 0x90 : 0x8f,
    );
    this.name = 'InvalidTopicError';
    this.topic = topic;
  }
}
