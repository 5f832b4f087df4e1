/**
 * `-F %j` (and `--pretty`) as mosquitto_sub 2.0 prints it, byte for byte: its JSON is built with
 * cJSON, so strings escape `"` `\` and control characters and pass every other byte through raw
 * (a payload that is not UTF-8 stays as it is), `--pretty` is cJSON's tab-indented layout, an
 * empty payload is `null`, and "tst" is local time as `strftime("%Y-%m-%dT%H:%M:%S.000000Z%z")`
 * with the microseconds written in (so a `Z` stands before the offset).
 */
import type { Message, PublishProperties } from '@mqttkit/client';
import { isoLocal, type RenderClock } from './format.js';

type JsonValue = number | Uint8Array | null | JsonObject;
/** Ordered members: duplicate keys are kept, as mosquitto prints repeated user properties. */
type JsonObject = { members: Array<readonly [string, JsonValue]> };

const encoder = new TextEncoder();

export function jsonMessage(message: Message, clock: RenderClock, pretty: boolean): Uint8Array {
  const iso = isoLocal(clock, true);
  const root: JsonObject = {
    members: [
      ['tst', encoder.encode(`${iso.slice(0, -5)}Z${iso.slice(-5)}`)],
      ['topic', encoder.encode(message.topic)],
      ['qos', message.qos],
      ['retain', message.retain ? 1 : 0],
      ['payloadlen', message.payload.length],
    ],
  };
  if (message.qos > 0) root.members.push(['mid', message.packetId ?? 0]);
  const properties = propertiesObject(message);
  if (properties) root.members.push(['properties', properties]);
  root.members.push(['payload', message.payload.length === 0 ? null : message.payload]);
  const out: number[] = [];
  write(out, root, pretty ? 0 : -1);
  return Uint8Array.from(out);
}

/**
 * In the order they came on the wire, as mosquitto prints them: the decoded object keeps that
 * order, except that user properties are collected apart (their place is lost), so they come
 * right after the subscription identifiers, where publishers usually put them.
 */
function propertiesObject(message: Message): JsonObject | undefined {
  const p = message.properties;
  if (!p) return undefined;
  const members: Array<readonly [string, JsonValue]> = [];
  const keys = (Object.keys(p) as Array<keyof PublishProperties>).sort((a, b) => rank(a) - rank(b));
  for (const key of keys) {
    switch (key) {
      case 'subscriptionIdentifiers':
        for (const id of p.subscriptionIdentifiers ?? []) {
          members.push(['subscription-identifier', id]);
        }
        break;
      case 'userProperties': {
        const users: JsonObject = { members: [] };
        for (const [name, value] of Object.entries(p.userProperties ?? {})) {
          for (const v of Array.isArray(value) ? value : [value]) {
            users.members.push([name, encoder.encode(v)]);
          }
        }
        if (users.members.length > 0) members.push(['user-properties', users]);
        break;
      }
      case 'contentType':
        if (p.contentType !== undefined) {
          members.push(['content-type', encoder.encode(p.contentType)]);
        }
        break;
      case 'payloadFormatIndicator':
        if (p.payloadFormatIndicator !== undefined) {
          members.push(['payload-format-indicator', p.payloadFormatIndicator ? 1 : 0]);
        }
        break;
      case 'responseTopic':
        if (p.responseTopic !== undefined) {
          members.push(['response-topic', encoder.encode(p.responseTopic)]);
        }
        break;
      case 'correlationData':
        if (p.correlationData !== undefined) members.push(['correlation-data', p.correlationData]);
        break;
      case 'messageExpiryInterval':
        if (p.messageExpiryInterval !== undefined) {
          members.push(['message-expiry-interval', p.messageExpiryInterval]);
        }
        break;
      case 'topicAlias':
        // Resolved into the topic by the client; mosquitto_sub does not print it either.
        break;
    }
  }
  return members.length > 0 ? { members } : undefined;
}

/** A stable sort by this keeps the wire order of everything else. */
function rank(key: keyof PublishProperties): number {
  if (key === 'subscriptionIdentifiers') return 0;
  return key === 'userProperties' ? 1 : 2;
}

const TAB = 0x09;
const NEWLINE = 0x0a;

/** `depth` -1: minified; otherwise cJSON_Print's layout at that depth. */
function write(out: number[], value: JsonValue, depth: number): void {
  if (value === null) pushText(out, 'null');
  else if (typeof value === 'number') pushText(out, String(value));
  else if (value instanceof Uint8Array) writeString(out, value);
  else {
    out.push(0x7b);
    if (depth >= 0) out.push(NEWLINE);
    value.members.forEach(([key, member], i) => {
      if (depth >= 0) for (let t = 0; t <= depth; t++) out.push(TAB);
      writeString(out, encoder.encode(key));
      out.push(0x3a);
      if (depth >= 0) out.push(TAB);
      write(out, member, depth >= 0 ? depth + 1 : -1);
      if (i < value.members.length - 1) out.push(0x2c);
      if (depth >= 0) out.push(NEWLINE);
    });
    if (depth >= 0) for (let t = 0; t < depth; t++) out.push(TAB);
    out.push(0x7d);
  }
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  34: '\\"',
  92: '\\\\',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
};

/** cJSON's print_string: byte by byte, so bytes of 0x80 and above pass through unchanged. */
function writeString(out: number[], bytes: Uint8Array): void {
  out.push(0x22);
  for (const byte of bytes) {
    const short = SHORT_ESCAPES[byte];
    if (short !== undefined) pushText(out, short);
    else if (byte < 0x20) pushText(out, `\\u${byte.toString(16).padStart(4, '0')}`);
    else out.push(byte);
  }
  out.push(0x22);
}

function pushText(out: number[], text: string): void {
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
}
