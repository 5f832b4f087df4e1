export { createDecoder, type Decoder, type DecoderOptions } from './decode.js';
export { type EncodeOptions, encode, encodePublishHeader } from './encode.js';
export * from './surface.js';
