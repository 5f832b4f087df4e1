// Minimal declarations for the mqtt-packet modules this package imports directly (mqtt-packet
// only ships types for its main entry, which also pulls in generate.js). generate.js itself is
// only imported by tests, which compare our encoder with it.
declare module 'mqtt-packet/parser.js' {
  interface MqttPacketParser {
    settings: { protocolVersion?: number };
    /** The parser's byte list (bl's BufferList); replaced with ours before each frame. */
    _list: unknown;
    on(event: 'packet', listener: (packet: object) => void): unknown;
    on(event: 'error', listener: (error: unknown) => void): unknown;
    parse(buffer: Uint8Array): number;
  }
  const Parser: { parser(options?: { protocolVersion?: number }): MqttPacketParser };
  export default Parser;
}

declare module 'mqtt-packet/writeToStream.js' {
  /** What writeToStream writes to: chunks, and `destroy(error)` for a packet it refuses. */
  interface WritableLike {
    write(chunk: Uint8Array | string): boolean;
    destroy(error?: Error): void;
  }
  function writeToStream(
    packet: object,
    stream: WritableLike,
    options?: { protocolVersion?: number },
  ): boolean;
  export default writeToStream;
}

declare module 'mqtt-packet/generate.js' {
  function generate(packet: object, options?: { protocolVersion?: number }): Uint8Array;
  export default generate;
}
