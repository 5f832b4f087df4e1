// Minimal declarations for the mqtt-packet modules this package imports directly (mqtt-packet
// only ships types for its main entry, which also pulls in generate.js), covering their public
// API only. generate.js itself is only imported by tests, which compare our encoder with it.
declare module 'mqtt-packet/parser.js' {
  export interface MqttPacketParser {
    on(event: 'packet', listener: (packet: object) => void): unknown;
    on(event: 'error', listener: (error: unknown) => void): unknown;
    /** Appends bytes and parses what it can; returns the bytes left unparsed. */
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
  const writeToStream: {
    (packet: object, stream: WritableLike, options?: { protocolVersion?: number }): boolean;
    /** mqtt-packet README: the cache of number buffers, on by default; set before any write. */
    cacheNumbers: boolean;
  };
  export default writeToStream;
}

declare module 'mqtt-packet/generate.js' {
  function generate(packet: object, options?: { protocolVersion?: number }): Uint8Array;
  export default generate;
}
