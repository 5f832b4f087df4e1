// Minimal declarations for the two mqtt-packet modules this package imports directly
// (mqtt-packet only ships types for its main entry, which also pulls in writeToStream).
declare module 'mqtt-packet/parser.js' {
  interface MqttPacketParser {
    settings: { protocolVersion?: number };
    on(event: 'packet', listener: (packet: object) => void): unknown;
    on(event: 'error', listener: (error: unknown) => void): unknown;
    parse(buffer: Uint8Array): number;
  }
  const Parser: { parser(options?: { protocolVersion?: number }): MqttPacketParser };
  export default Parser;
}

declare module 'mqtt-packet/generate.js' {
  function generate(packet: object, options?: { protocolVersion?: number }): Uint8Array;
  export default generate;
}
