/**
 * A payload as the topic tree shows it: JSON pretty-printed, other UTF-8 text as it is, anything
 * else as hex. A payload that was cut to the tree's cap is never parsed as JSON (half a document
 * is not JSON) and says how much is missing.
 */
import type { LastMessage } from './topic-tree.js';

const HEX_BYTES = 64;

export interface PayloadText {
  readonly kind: 'json' | 'text' | 'binary' | 'empty';
  readonly text: string;
}

export function payloadText(last: LastMessage): PayloadText {
  const cut = last.byteLength - last.payload.byteLength;
  const tail = cut > 0 ? `\n… ${cut} more bytes not kept` : '';
  if (last.byteLength === 0) return { kind: 'empty', text: '(empty payload)' };
  let text: string;
  try {
    // `stream` keeps a character cut at the cap from counting as invalid UTF-8 (a decoder of its
    // own each time, since streaming leaves those bytes in the decoder).
    text = new TextDecoder('utf-8', { fatal: true }).decode(last.payload, { stream: cut > 0 });
  } catch {
    const bytes = [...last.payload.subarray(0, HEX_BYTES)]
      .map((byte) => byte.toString(16).padStart(2, '0'))
      .join(' ');
    const more = last.byteLength > HEX_BYTES ? ` … (${last.byteLength} bytes)` : '';
    return { kind: 'binary', text: `${bytes}${more}` };
  }
  if (cut === 0) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null) {
        return { kind: 'json', text: JSON.stringify(value, null, 2) };
      }
    } catch {
      // Not JSON: shown as text.
    }
  }
  return { kind: 'text', text: `${text}${tail}` };
}
