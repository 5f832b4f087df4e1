/**
 * One log record per line: JSON, with byte arrays (payload, correlation data, authentication
 * data) written as `{ "$b": "<base64>" }`. Lines make a torn tail easy to recognise: the last
 * line of a crashed append has no newline or does not parse.
 */
import type { InflightEntry } from '@mqttkit/client';

export type LogRecord =
  | { op: 'put'; id: number; entry: InflightEntry }
  | { op: 'del'; id: number }
  | { op: 'clear' };

const BYTES = '$b';

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return {
      [BYTES]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
    };
  }
  // Buffer#toJSON runs before the replacer sees it, so it arrives as { type, data }.
  if (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  ) {
    return { [BYTES]: Buffer.from((value as { data: number[] }).data).toString('base64') };
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const b = (value as Record<string, unknown>)[BYTES];
    if (typeof b === 'string' && Object.keys(value).length === 1) {
      const buf = Buffer.from(b, 'base64');
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
  }
  return value;
}

export function encodeRecord(record: LogRecord): string {
  return `${JSON.stringify(record, replacer)}\n`;
}

function isEntry(value: unknown, id: number): value is InflightEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; packetId?: unknown; packet?: unknown };
  if (v.kind === 'pubrel') return v.packetId === id;
  if (v.kind !== 'publish' || typeof v.packet !== 'object' || v.packet === null) return false;
  const p = v.packet as { cmd?: unknown; packetId?: unknown; qos?: unknown; payload?: unknown };
  return (
    p.cmd === 'publish' &&
    p.packetId === id &&
    (p.qos === 1 || p.qos === 2) &&
    p.payload instanceof Uint8Array
  );
}

function isId(id: unknown): id is number {
  return Number.isInteger(id) && (id as number) >= 1 && (id as number) <= 65_535;
}

/** Parses one line; undefined when it is not a valid record. */
export function decodeRecord(line: string): LogRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line, reviver);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as { op?: unknown; id?: unknown; entry?: unknown };
  if (r.op === 'clear') return { op: 'clear' };
  if (!isId(r.id)) return undefined;
  if (r.op === 'del') return { op: 'del', id: r.id };
  if (r.op === 'put' && isEntry(r.entry, r.id)) return { op: 'put', id: r.id, entry: r.entry };
  return undefined;
}
