/**
 * mqtt-packet's object shapes (`messageId`, `granted`, `returnCode`, `nl`/`rap`/`rh`...) and the
 * property translation that every packet shares. The per-packet translations are in
 * `to-wire.ts` and `from-wire.ts`; the rest of the package uses the spec-named model in
 * `model/packets.ts`.
 */
import type { ProtocolVersion, UserProperties } from '../model/packets.js';
import { plainBytes as u8 } from '../model/plain-bytes.js';

export type Props = Record<string, unknown>;

/** The fields of mqtt-packet's parsed objects that we read. */
export interface WirePacket {
  cmd: string;
  messageId?: number;
  qos?: number;
  dup?: boolean;
  retain?: boolean;
  topic?: string;
  payload?: Uint8Array;
  reasonCode?: number;
  returnCode?: number;
  sessionPresent?: boolean;
  granted?: number[];
  subscriptions?: { topic: string; qos: number; nl?: boolean; rap?: boolean; rh?: number }[];
  unsubscriptions?: string[];
  protocolVersion?: number;
  clientId?: string;
  clean?: boolean;
  keepalive?: number;
  username?: string;
  password?: Uint8Array;
  will?: { topic: string; payload: Uint8Array; qos: number; retain: boolean; properties?: Props };
  properties?: Props;
}

export type WireResult = { packet: WirePacket } | { error: unknown };
/** One whole frame in, mqtt-packet's object or its error out (`wire.ts` parseWire). */
export type WireParser = (frame: Uint8Array, v: ProtocolVersion) => WireResult;

export function propsFromWire(
  w: Props | undefined,
  user: UserProperties | undefined,
): Props | undefined {
  if (!w) return undefined;
  const out: Props = {};
  let any = false;
  for (const key of Object.keys(w)) {
    const value = w[key];
    if (value === undefined) continue;
    any = true;
    if (key === 'userProperties') {
      // The frame reader's pairs (FrameInfo) instead of mqtt-packet's: every value of a repeated
      // name, in the order received.
      if (user) out.userProperties = user;
    } else if (value instanceof Uint8Array) {
      out[key] = u8(value);
    } else {
      out[key] = value;
    }
  }
  return any ? out : undefined;
}

export function withProps<T extends object>(packet: T, props: Props | undefined): T {
  if (props) (packet as T & { properties?: Props }).properties = props;
  return packet;
}

/** Whether User Properties hold at least one name/value pair (a name may list no value). */
function holdsAPair(pairs: Record<string, unknown>): boolean {
  return Object.getOwnPropertyNames(pairs).some((name) => {
    const values = pairs[name];
    return !Array.isArray(values) || values.length > 0;
  });
}

/**
 * Our property names to mqtt-packet's, leaving out undefined ones. Binary values stay
 * Uint8Arrays: mqtt-packet measures and writes them as they are.
 */
export function propsToWire(p: object | undefined): Props | undefined {
  if (!p) return undefined;
  const out: Props = {};
  let any = false;
  const record = p as Props;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === undefined) continue;
    // mqtt-packet writes nothing at all, not even the fixed header, for User Properties that
    // hold no pair ({} or names with empty lists): leaving them out sends the same (none).
    if (key === 'userProperties' && !holdsAPair(value as Record<string, unknown>)) continue;
    any = true;
    if (key === 'subscriptionIdentifiers') out.subscriptionIdentifier = value;
    else out[key] = value;
  }
  return any ? out : undefined;
}
