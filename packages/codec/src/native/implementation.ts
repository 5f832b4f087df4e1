/**
 * The native implementation (table/implementation.ts): PUBLISH and its acknowledgements in the
 * shapes nearly all of them have. The packet table routes a packet here only when `encodesAck`,
 * `encodesPublish`, `decodesAck` or `decodesPublish` accepts it.
 */
import type { PacketImplementation } from '../table/implementation.js';
import { ackBytes } from './ack-encode.js';
import { decodeFrame } from './decode.js';
import { publishBytes } from './publish-encode.js';

export const NATIVE: PacketImplementation = {
  encode(p, v) {
    if (p.cmd === 'publish') return publishBytes(p, v, true);
    if (p.cmd === 'puback' || p.cmd === 'pubrec' || p.cmd === 'pubrel' || p.cmd === 'pubcomp') {
      return ackBytes(p, v);
    }
    throw new Error(`the native encoder does not write ${p.cmd.toUpperCase()}`);
  },
  encodePublishHeader: (p, v) => publishBytes(p, v, false),
  decode: (frame, bodyStart, info) => decodeFrame(frame, bodyStart, info),
};
