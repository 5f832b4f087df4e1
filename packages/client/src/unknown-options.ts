/**
 * Option names that TypeScript would have refused but JavaScript passes silently
 * (`reconnectPeriod`, `keepAlive`, a top-level `rejectUnauthorized`): each is an
 * `InvalidOptionError` naming the nearest known option, or saying where an MQTT.js option's job
 * went in mqttkit.
 */
import { InvalidOptionError } from './errors.js';
import { MQTTJS_OPTIONS, MQTTJS_SERVER_OPTIONS } from './mqttjs-option-names.js';
import {
  AUTH_OPTION_NAMES,
  CLIENT_OPTION_NAMES,
  PROXY_OPTION_NAMES,
  QUEUE_OPTION_NAMES,
  RECONNECT_OPTION_NAMES,
  SERVER_OPTION_NAMES,
  TLS_OPTION_NAMES,
  WILL_OPTION_NAMES,
  WS_OPTION_NAMES,
} from './option-names.js';
import type { ClientOptions } from './options.js';

type Known = ReadonlySet<string>;

/** The nested option objects, for a name given at the wrong level (`insecureSkipVerify`). */
const NESTED: ReadonlyArray<readonly [string, Known]> = [
  ['reconnect', RECONNECT_OPTION_NAMES],
  ['queue', QUEUE_OPTION_NAMES],
  ['tls', TLS_OPTION_NAMES],
  ['ws', WS_OPTION_NAMES],
  ['auth', AUTH_OPTION_NAMES],
  ['will', WILL_OPTION_NAMES],
  ['proxy', PROXY_OPTION_NAMES],
];

/** Throws `InvalidOptionError` for the first option name no options object of the client has. */
export function checkOptionNames(options: ClientOptions): void {
  checkNames('', options, CLIENT_OPTION_NAMES, MQTTJS_OPTIONS);
  for (const [name, known] of NESTED) {
    // MQTT.js takes its TLS options at the top level; under `tls` they get the same sentence.
    const mqttjs = name === 'tls' ? MQTTJS_OPTIONS : undefined;
    checkNames(`${name}.`, options[name as keyof ClientOptions], known, mqttjs);
  }
  if (Array.isArray(options.servers)) {
    options.servers.forEach((server, i) => {
      checkNames(`servers[${i}].`, server, SERVER_OPTION_NAMES, MQTTJS_SERVER_OPTIONS);
    });
  }
}

function checkNames(
  prefix: string,
  value: unknown,
  known: Known,
  mqttjs: Readonly<Record<string, string>> | undefined,
): void {
  // Other values (false, a URL string, a wrong type) are for the type checks that follow.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const [name, given] of Object.entries(value)) {
    // An unknown name set to undefined changes nothing (a spread of a partial config).
    if (known.has(name) || given === undefined) continue;
    throw new InvalidOptionError(
      `${prefix}${name}`,
      `a known option name (${hint(prefix, name, known, mqttjs)})`,
    );
  }
}

function hint(
  prefix: string,
  name: string,
  known: Known,
  mqttjs: Readonly<Record<string, string>> | undefined,
): string {
  const mqttjsHint = mqttjs && Object.hasOwn(mqttjs, name) ? mqttjs[name] : undefined;
  if (mqttjsHint !== undefined) return `MQTT.js's ${name} is ${mqttjsHint}`;
  const nearest = nearestName(name, [...known]);
  if (nearest !== undefined) return `did you mean ${prefix}${nearest}?`;
  if (prefix === '') {
    for (const [parent, names] of NESTED) {
      const nested = nearestName(name, [...names]);
      if (nested !== undefined) return `did you mean ${parent}: { ${nested} }?`;
    }
  }
  return `known: ${[...known].join(', ')}`;
}

/** The known name closest to `name` (case ignored), when close enough to be a typo of it. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  // A third of the name's length, at least one edit: `reconect` and `keepAlive`, not `url` for `qos`.
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (before[j - 2] as number) + 1);
      }
      current.push(d);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}
