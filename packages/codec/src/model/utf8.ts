import { MalformedPacketError } from './errors.js';

// fatal: invalid sequences, overlong forms and encoded surrogates throw instead of
// being replaced by U+FFFD [MQTT-1.5.4-1]. Created on first use, so that loading the module
// works where TextDecoder is missing (some React Native versions).
let decoder: InstanceType<typeof TextDecoder> | undefined;

/** Decodes an MQTT UTF-8 Encoded String body, rejecting what [MQTT-1.5.4-1/2] forbid. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  let text: string;
  try {
    decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    text = decoder.decode(bytes);
  } catch (cause) {
    throw new MalformedPacketError(`invalid UTF-8 in ${what}`, { cause });
  }
  if (text.includes('\u0000')) {
    throw new MalformedPacketError(`${what} contains U+0000 [MQTT-1.5.4-2]`);
  }
  return text;
}

/** UTF-8 byte length of a well-formed JS string (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Why a JS string cannot be sent as an MQTT UTF-8 Encoded String, or undefined when it can:
 * no lone surrogates (not encodable as UTF-8), no U+0000, at most 65,535 bytes [MQTT-1.5.4].
 */
export function stringProblem(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'contains U+0000';
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return 'contains a lone surrogate (not valid UTF-8)';
    }
  }
  if (text.length > 0xffff / 3 && utf8ByteLength(text) > 0xffff) {
    return 'is longer than 65535 UTF-8 bytes';
  }
  return undefined;
}
