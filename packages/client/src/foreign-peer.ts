/**
 * A peer that is not an MQTT broker: its first byte cannot begin any MQTT packet (an HTTP server
 * answering `HTTP/1.1 400`, a TLS server's alert, an SSH banner). Said plainly, with what it
 * answered, instead of the codec's reading of those bytes as a malformed packet.
 */

/** How many of the peer's first bytes the message quotes. */
const QUOTED_BYTES = 48;

/** The message of the close: `not an MQTT broker: it answered \`HTTP/1.1 400 Bad Request\r\n…\``. */
export function foreignPeerMessage(firstBytes: Uint8Array): string {
  const shown = firstBytes.subarray(0, QUOTED_BYTES);
  const more = firstBytes.length > QUOTED_BYTES ? '…' : '';
  return `not an MQTT broker: it answered \`${printable(shown)}${more}\``;
}

/** Printable ASCII as is; `\r`, `\n`, `\t`, `\\` and the backtick escaped; any other byte `\xNN`. */
function printable(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x0d) out += '\\r';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x5c || byte === 0x60) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}
