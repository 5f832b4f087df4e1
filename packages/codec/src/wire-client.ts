/**
 * The mqtt-packet wrapper of the `@mqttkit/codec/client` entry. In Node it is `wire.ts` itself.
 * The browser build (scripts/build-browser.ts) makes it a second copy of `wire.ts` whose
 * mqtt-packet has the server's halves replaced by stubs that throw: the generator of CONNACK,
 * SUBACK and UNSUBACK and the parser of CONNECT, SUBSCRIBE and UNSUBSCRIBE, which a client never
 * reaches (its encoder and decoder refuse those packets first). A page that loads only the client
 * entry does not carry them.
 */
export { createWireParser, generatePublishHeaderWire, generateWire } from './wire.js';
