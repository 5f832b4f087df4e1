/**
 * Where trace context travels in an MQTT message, per the W3C "Trace Context: MQTT protocol"
 * draft: under MQTT 5 the user properties `traceparent` and `tracestate` (lower case); under
 * 3.1.1, opt-in, fields of the same names in the outermost JSON object of the payload.
 */
import type { UserProperties } from '@mqttkit/client';
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** A carrier of string fields: user properties, or a JSON payload's outer object. */
export type Carrier = Record<string, string | string[] | unknown>;

/** Reads a field; a repeated user property gives its first value. */
export const carrierGetter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
    return undefined;
  },
};

/** Sets a field, replacing one already there (a traceparent of the caller's is overwritten). */
export const carrierSetter: TextMapSetter<Carrier> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

/** A copy of `userProperties` to inject into (the caller's object is never changed). */
export function userPropertiesCarrier(userProperties: UserProperties | undefined): Carrier {
  return { ...userProperties };
}

const decoder = new TextDecoder();

/**
 * The payload's outermost JSON object, or undefined when the payload is not one (then nothing is
 * injected or extracted: the payload is the application's, and only an object has room for
 * fields).
 */
export function jsonObjectOf(payload: string | Uint8Array): Carrier | undefined {
  const text = typeof payload === 'string' ? payload : decoder.decode(payload);
  // Cheap refusal before parsing: an object starts with `{`.
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Carrier)
      : undefined;
  } catch {
    return undefined;
  }
}
