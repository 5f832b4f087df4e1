/**
 * `sub -F format`: a subset of mosquitto_sub's output format, compiled once (bad sequences are a
 * usage error before connecting) and rendered per message. Pure: the time is passed in.
 *
 * Supported: %% %t %p %q %r %l %m %x %X %I %U %j %P %C %R %E %F, escapes \\ \0 \a \e \n \r \t \v,
 * and @@ for a literal @. Field widths and strftime sequences (@Y...) are not supported.
 */
import type { Message } from '@mqttkit/client';
import { CliUsageError } from './errors.js';
import { jsonMessage } from './json-format.js';

export type FieldName =
  | 't'
  | 'p'
  | 'q'
  | 'r'
  | 'l'
  | 'm'
  | 'x'
  | 'X'
  | 'I'
  | 'U'
  | 'j'
  | 'P'
  | 'C'
  | 'R'
  | 'E'
  | 'F';

export type Segment = { type: 'text'; text: string } | { type: 'field'; field: FieldName };

/** The table printed by `--help` and the README: sequence, meaning. */
export const FORMAT_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['%t', 'topic'],
  ['%p', 'payload, raw bytes'],
  ['%q', 'QoS'],
  ['%r', 'retained flag (0 or 1)'],
  ['%l', 'payload length in bytes'],
  ['%m', 'packet identifier (0 for QoS 0)'],
  ['%x / %X', 'payload as lower / upper case hex'],
  ['%I', 'ISO-8601 local time, e.g. 2026-11-24T14:03:07+0100'],
  ['%U', 'Unix time with nanoseconds, e.g. 1795529886.807713000'],
  ['%j', 'JSON as mosquitto_sub: tst, topic, qos, retain, payloadlen, properties, payload'],
  ['%P', 'MQTT 5 user properties, key:value separated by spaces'],
  ['%C %R %E %F', 'MQTT 5 content type, response topic, message expiry, payload format'],
  ['%%', 'a literal %'],
  ['@@', 'a literal @'],
  ['\\n \\t \\r \\0 \\e \\a \\v \\\\', 'newline, tab, CR, NUL, escape, bell, vertical tab, \\'],
];

const FIELDS = new Set<string>('tpqrlmxXIUjPCREF'.split(''));
const ESCAPES: Record<string, string> = {
  '\\': '\\',
  '0': '\0',
  a: '\x07',
  e: '\x1b',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

export function compileFormat(format: string): Segment[] {
  const segments: Segment[] = [];
  let text = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%' && c !== '\\' && c !== '@') {
      text += c;
      continue;
    }
    const next = format[i + 1];
    i++;
    if (next === undefined) {
      throw new CliUsageError(
        `-F "${format}": it ends with a lone ${c}; write ${c}${c} for a literal ${c}`,
        'sub',
      );
    }
    if (c === '%') {
      if (next === '%') text += '%';
      else if (FIELDS.has(next)) {
        if (text) segments.push({ type: 'text', text });
        text = '';
        segments.push({ type: 'field', field: next as FieldName });
      } else {
        throw new CliUsageError(
          `-F "${format}": %${next} is not supported; see mqttkit sub --help for the sequences`,
          'sub',
        );
      }
    } else if (c === '\\') {
      const escaped = ESCAPES[next];
      if (escaped === undefined) {
        throw new CliUsageError(`-F "${format}": unknown escape \\${next}`, 'sub');
      }
      text += escaped;
    } else if (next === '@') {
      text += '@';
    } else {
      throw new CliUsageError(
        `-F "${format}": time sequences such as @${next} are not supported; use %I or %U (or @@ for @)`,
        'sub',
      );
    }
  }
  if (text) segments.push({ type: 'text', text });
  return segments;
}

export interface RenderClock {
  /** Wall-clock time of arrival, ms since the epoch (may have a fraction). */
  nowMs: number;
  /** Local offset from UTC in minutes (east positive), for %I. */
  utcOffsetMinutes: number;
}

const encoder = new TextEncoder();

/**
 * The bytes `segments` produce for `message` (no newline: the caller adds it unless -N).
 * `pretty` is `--pretty`: %j laid out over several lines.
 */
export function renderMessage(
  segments: readonly Segment[],
  message: Message,
  clock: RenderClock,
  pretty = false,
): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const segment of segments) {
    if (segment.type === 'text') parts.push(encoder.encode(segment.text));
    else if (segment.field === 'p') parts.push(message.payload);
    else if (segment.field === 'j') parts.push(jsonMessage(message, clock, pretty));
    else parts.push(encoder.encode(fieldText(segment.field, message, clock)));
  }
  return concat(parts);
}

function fieldText(
  field: Exclude<FieldName, 'p' | 'j'>,
  message: Message,
  clock: RenderClock,
): string {
  const props = message.properties;
  switch (field) {
    case 't':
      return message.topic;
    case 'q':
      return String(message.qos);
    case 'r':
      return message.retain ? '1' : '0';
    case 'l':
      return String(message.payload.length);
    case 'm':
      return String(message.packetId ?? 0);
    case 'x':
      return hex(message.payload);
    case 'X':
      return hex(message.payload).toUpperCase();
    case 'I':
      return isoLocal(clock, false);
    case 'U':
      return unixNanos(clock.nowMs);
    case 'P':
      return Object.entries(props?.userProperties ?? {})
        .flatMap(([key, value]) =>
          (Array.isArray(value) ? value : [value]).map((v) => `${key}:${v}`),
        )
        .join(' ');
    case 'C':
      return props?.contentType ?? '';
    case 'R':
      return props?.responseTopic ?? '';
    case 'E':
      return props?.messageExpiryInterval === undefined ? '' : String(props.messageExpiryInterval);
    case 'F':
      return props?.payloadFormatIndicator === undefined
        ? ''
        : props.payloadFormatIndicator
          ? '1'
          : '0';
  }
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** 2026-11-24T14:03:07+0100 (mosquitto's %I), or with .microseconds for %j's "tst". */
export function isoLocal(clock: RenderClock, micros: boolean): string {
  const local = new Date(Math.floor(clock.nowMs) + clock.utcOffsetMinutes * 60_000);
  const offset = Math.abs(clock.utcOffsetMinutes);
  const sign = clock.utcOffsetMinutes < 0 ? '-' : '+';
  const fraction = micros ? `.${pad(Math.floor((clock.nowMs % 1000) * 1000), 6)}` : '';
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${fraction}${sign}${pad(Math.floor(offset / 60))}${pad(offset % 60)}`
  );
}

/**
 * Seconds since the epoch with nine decimals, as mosquitto's %U. A double holding epoch
 * milliseconds is exact to about a microsecond, so the last three digits are always 0.
 */
export function unixNanos(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000);
  const micros = Math.min(Math.round((nowMs - seconds * 1000) * 1000), 999_999);
  return `${seconds}.${pad(micros, 6)}000`;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
