/**
 * Checks of the fields of a packet object given to `encode`, shared by the per-packet checks in
 * `packet-checks.ts`. Each throws `InvalidPacketError` saying which field is wrong.
 */
import { InvalidPacketError } from '../model/errors.js';
import type { ProtocolVersion } from '../model/packets.js';
import { PROPERTY_BY_NAME, type PropertyContext } from '../model/properties.js';
import { validateTopic } from '../model/topic.js';
import { stringProblem } from '../model/utf8.js';

export function fail(message: string, cause?: unknown): never {
  throw new InvalidPacketError(message, cause === undefined ? undefined : { cause });
}

export const isInt = (n: unknown, min: number, max: number): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

export function checkString(value: unknown, what: string): void {
  if (typeof value !== 'string') fail(`${what} must be a string`);
  const problem = stringProblem(value);
  if (problem) fail(`${what} ${problem}`);
}

export function checkBinary(value: unknown, what: string): void {
  if (!(value instanceof Uint8Array)) fail(`${what} must be a Uint8Array`);
  if (value.length > 0xffff) fail(`${what} is longer than 65535 bytes`);
}

export function checkPacketId(id: unknown, cmd: string): void {
  // [MQTT-2.2.1-3] a non-zero 16-bit Packet Identifier.
  if (!isInt(id, 1, 0xffff)) fail(`${cmd} packetId must be an integer 1-65535, got ${String(id)}`);
}

export function checkQos(qos: unknown, what: string): void {
  if (qos !== 0 && qos !== 1 && qos !== 2) fail(`${what} must be 0, 1 or 2, got ${String(qos)}`);
}

export function checkCode(code: unknown, allowed: ReadonlySet<number>, what: string): void {
  if (typeof code !== 'number' || !allowed.has(code)) {
    fail(`${what} ${String(code)} is not valid here`);
  }
}

export function checkProperties(props: unknown, ctx: PropertyContext, v: ProtocolVersion): void {
  if (props === undefined) return;
  if (typeof props !== 'object' || props === null) fail(`${ctx} properties must be an object`);
  const record = props as Record<string, unknown>;
  // Keys, not entries: this runs for every PUBLISH that carries a property (a topic alias).
  const names = Object.keys(record).filter((name) => record[name] !== undefined);
  if (names.length === 0) return;
  if (v === 4) fail(`properties need MQTT 5 (${ctx}: ${names.join(', ')})`);
  for (const name of names) {
    const value = record[name];
    const plural = name === 'subscriptionIdentifiers';
    const def = PROPERTY_BY_NAME.get(plural ? 'subscriptionIdentifier' : name);
    if (
      !def ||
      (plural && ctx !== 'publish') ||
      (name === 'subscriptionIdentifier' && ctx === 'publish')
    ) {
      fail(`unknown property ${name} for ${ctx}`);
    }
    if (!def.in.has(ctx)) fail(`property ${name} is not allowed in ${ctx}`);
    const what = `property ${name}`;
    const min = def.nonZero ? 1 : 0;
    switch (def.kind) {
      case 'bool':
        if (typeof value !== 'boolean') fail(`${what} must be a boolean`);
        break;
      case 'byte':
        if (value !== 0 && value !== 1) fail(`${what} must be 0 or 1`);
        break;
      case 'int16':
        if (!isInt(value, min, 0xffff)) fail(`${what} must be an integer ${min}-65535`);
        break;
      case 'int32':
        if (!isInt(value, min, 0xffffffff)) fail(`${what} must be an integer ${min}-4294967295`);
        break;
      case 'varint': {
        const list = plural ? value : [value];
        if (!Array.isArray(list) || list.length === 0) fail(`${what} must be a non-empty array`);
        for (const id of list) {
          if (!isInt(id, 1, 268_435_455)) fail(`${what} must be integers 1-268435455`);
        }
        break;
      }
      case 'string':
        checkString(value, what);
        break;
      case 'binary':
        checkBinary(value, what);
        break;
      case 'pair': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          fail(`${what} must be a record of strings`);
        }
        for (const [key, v2] of Object.entries(value)) {
          checkString(key, `user property name '${key}'`);
          const values = Array.isArray(v2) ? v2 : [v2];
          for (const item of values) checkString(item, `user property '${key}' value`);
        }
        break;
      }
    }
  }
}

export function checkTopic(
  topic: unknown,
  what: string,
  v: ProtocolVersion,
  aliased: boolean,
): void {
  if (typeof topic !== 'string') fail(`${what} must be a string`);
  // [MQTT-3.3.2-1] MQTT 5 allows an empty Topic Name when a Topic Alias stands in for it.
  if (topic === '' && v === 5 && aliased) return;
  try {
    validateTopic(topic);
  } catch (e) {
    fail(`${what}: ${(e as Error).message}`, e);
  }
}
