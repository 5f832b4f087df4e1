/**
 * The command line, parsed without side effects: no file is read and no socket opened here, so
 * every usage error (exit code 2) is found before connecting. Flags are mosquitto_pub's and
 * mosquitto_sub's: separate short flags (`-t a -t b`, not `-tab`), long forms, `--long=value`.
 */
import type { QoS } from '@mqttkit/client';
import { CliUsageError } from './errors.js';
import { COMMANDS, type Command, FLAGS, type FlagSpec } from './flags.js';
import { compileFormat, type Segment } from './format.js';
import {
  applyProperty,
  emptyPropertySet,
  hasProperties,
  type PropertySet,
  propertyArity,
} from './properties.js';
import { clientUrl, DEFAULT_PORTS, parseBrokerUrl, parsePort, type Scheme } from './url.js';

export { COMMANDS, type Command, FLAGS } from './flags.js';

export interface TlsArgs {
  cafile?: string;
  cert?: string;
  key?: string;
  insecure: boolean;
}

export interface WillArgs {
  topic: string;
  payload: string;
  qos: QoS;
  retain: boolean;
}

/** Everything needed to build the client's options. */
export interface ConnectionArgs {
  /** Scheme, host, port (and WebSocket path): what `createClient({ url })` gets. */
  url: string;
  protocolVersion: 3 | 4 | 5;
  clientId?: string;
  username?: string;
  password?: string;
  keepalive: number;
  tls?: TlsArgs;
  will?: WillArgs;
  properties: PropertySet;
  debug: boolean;
  /** `-c` clears this: keep the session. */
  clean: boolean;
  /** `-x`, or never (0xFFFFFFFF) for `-c` under MQTT 5, as mosquitto. */
  sessionExpiryInterval?: number;
  /** `--unix`: the broker's Unix socket. */
  socketPath?: string;
  /** `--proxy`: a proxy URL, credentials included (never printed). */
  proxy?: string;
}

export type MessageSource =
  | { type: 'message'; text: string }
  | { type: 'file'; path: string }
  | { type: 'stdin-lines' }
  | { type: 'stdin' }
  | { type: 'null' };

export interface PubArgs {
  command: 'pub';
  connection: ConnectionArgs;
  topic: string;
  qos: QoS;
  retain: boolean;
  source: MessageSource;
  /** `--repeat`: how many times the message is published (1 without it). */
  repeat: number;
  /** `--repeat-delay` in seconds. */
  repeatDelaySeconds: number;
}

export interface SubArgs {
  command: 'sub';
  connection: ConnectionArgs;
  topics: string[];
  qos: QoS;
  verbose: boolean;
  count?: number;
  timeoutSeconds?: number;
  format?: Segment[];
  noNewline: boolean;
  skipRetained: boolean;
  exitAfterSubscribe: boolean;
  /** `-U`: filters to unsubscribe from once connected. */
  unsubscribe: string[];
  retainedOnly: boolean;
  removeRetained: boolean;
  pretty: boolean;
}

export interface BenchArgs {
  command: 'bench';
  connection: ConnectionArgs;
  topic?: string;
  qos: QoS;
  count: number;
  size: number;
  timeoutSeconds: number;
}

export interface WatchArgs {
  command: 'watch';
  connection: ConnectionArgs;
  timeoutSeconds?: number;
}

export type CliArgs = PubArgs | SubArgs | BenchArgs | WatchArgs;

export type ParseResult =
  | { kind: 'help'; command?: Command }
  | { kind: 'version' }
  | { kind: 'run'; args: CliArgs };

const BY_SHORT = new Map(FLAGS.filter((f) => f.short).map((f) => [`-${f.short}`, f]));
const BY_LONG = new Map(FLAGS.map((f) => [`--${f.long}`, f]));
// Aliases users type out of habit.
BY_LONG.set('--password', BY_LONG.get('--pw')!);
BY_LONG.set('--retained', BY_LONG.get('--retain')!);

const REPEATABLE = new Set(['topic', 'property', 'unsubscribe']);

/** Parse `argv` (without `node` and the script). Throws `CliUsageError`. */
export function parseArgs(argv: readonly string[]): ParseResult {
  const [first, ...rest] = argv;
  if (first === undefined) {
    throw new CliUsageError('Give a command: pub, sub, bench or watch (e.g. mqttkit sub -t topic)');
  }
  if (first === '--help' || first === 'help') {
    const topic = rest[0];
    if (first === 'help' && topic !== undefined) return { kind: 'help', command: toCommand(topic) };
    return { kind: 'help' };
  }
  if (first === '--version') return { kind: 'version' };
  const command = toCommand(first);
  if (rest.includes('--help')) return { kind: 'help', command };

  const values = new Map<string, string[]>();
  const properties = emptyPropertySet();
  let sawProperty = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    let inline: string | undefined;
    let flag: FlagSpec | undefined;
    // Messages name the flag as the user typed it.
    let name = arg;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq !== -1) {
        name = arg.slice(0, eq);
        inline = arg.slice(eq + 1);
      }
      flag = BY_LONG.get(name);
    } else if (arg.startsWith('-') && arg.length > 1) {
      flag = BY_SHORT.get(arg);
    } else {
      throw new CliUsageError(
        `Unexpected argument "${arg}": values follow their flag (e.g. -t topic, -m message)`,
        command,
      );
    }
    if (!flag) {
      throw new CliUsageError(`Unknown option ${arg} for ${command}`, command);
    }
    if (!flag.commands.includes(command)) {
      const where = flag.commands.map((c) => `mqttkit ${c}`).join(', ');
      throw new CliUsageError(`${name} does not apply to ${command} (it is for ${where})`, command);
    }
    if (flag.name === 'property') {
      // -D command identifier value | -D command user-property name value
      const [packet, identifier] = [rest[i + 1], rest[i + 2]];
      if (packet === undefined || identifier === undefined) {
        throw new CliUsageError(
          '-D needs: command identifier value (e.g. -D publish user-property key value)',
          command,
        );
      }
      const arity = propertyArity(identifier);
      const args = rest.slice(i + 3, i + 3 + arity);
      if (args.length < arity) {
        throw new CliUsageError(
          `-D ${packet} ${identifier} needs ${arity === 2 ? 'a name and a value' : 'a value'}`,
          command,
        );
      }
      applyProperty(properties, command, packet, identifier, args);
      sawProperty = true;
      i += 2 + arity;
      continue;
    }
    let value = 'true';
    if (flag.value) {
      if (inline !== undefined) value = inline;
      else {
        const next = rest[i + 1];
        if (next === undefined)
          throw new CliUsageError(`${name} needs a value (${flag.meta})`, command);
        value = next;
        i++;
      }
    } else if (inline !== undefined) {
      throw new CliUsageError(`${name} takes no value`, command);
    }
    const list = values.get(flag.name) ?? [];
    if (list.length > 0 && !REPEATABLE.has(flag.name)) {
      throw new CliUsageError(`${name} was given twice`, command);
    }
    list.push(value);
    values.set(flag.name, list);
  }

  const one = (name: string): string | undefined => values.get(name)?.[0];
  const has = (name: string): boolean => values.has(name);
  const connection = connectionArgs(command, one, has, properties, sawProperty);
  const urlTopic = has('url') ? parseBrokerUrl(one('url')!, command).topic : undefined;
  const topics = [...(urlTopic === undefined ? [] : [urlTopic]), ...(values.get('topic') ?? [])];
  for (const topic of topics) {
    if (topic === '') throw new CliUsageError('-t: the topic must not be empty', command);
  }
  const qos = has('qos') ? parseQos(one('qos')!, '-q', command) : 0;

  switch (command) {
    case 'pub': {
      if (topics.length !== 1) {
        throw new CliUsageError(
          topics.length === 0
            ? 'pub needs a topic: -t topic (or -L URL with a path)'
            : 'pub publishes to one topic: give -t once',
          command,
        );
      }
      const sources: MessageSource[] = [];
      if (has('message')) sources.push({ type: 'message', text: one('message')! });
      if (has('file')) sources.push({ type: 'file', path: one('file')! });
      if (has('stdinLines')) sources.push({ type: 'stdin-lines' });
      if (has('stdin')) sources.push({ type: 'stdin' });
      if (has('null')) sources.push({ type: 'null' });
      if (sources.length !== 1) {
        throw new CliUsageError(
          sources.length === 0
            ? 'pub needs a message: -m text, -f file, -l (stdin lines), -s (all stdin) or -n (empty)'
            : 'pub sends one kind of message: give only one of -m, -f, -l, -s, -n',
          command,
        );
      }
      const topic = topics[0]!;
      if (/[+#]/.test(topic)) {
        // [MQTT-3.3.2-2]: wildcards are for filters. Refused here, before any connection, as
        // mosquitto_pub does.
        throw new CliUsageError(
          `-t ${topic}: a topic to publish to cannot hold + or # (they are for subscribing)`,
          command,
        );
      }
      const source = sources[0]!;
      const repeat = has('repeat') ? parseCount(one('repeat')!, '--repeat', command) : 1;
      if (has('repeat') && source.type === 'stdin-lines') {
        throw new CliUsageError('--repeat applies to -m, -f, -s and -n, not -l', command);
      }
      if (has('repeatDelay') && !has('repeat')) {
        throw new CliUsageError('--repeat-delay applies with --repeat', command);
      }
      return {
        kind: 'run',
        args: {
          command,
          connection,
          topic,
          qos,
          retain: has('retain'),
          source,
          repeat,
          repeatDelaySeconds: has('repeatDelay')
            ? parseDelay(one('repeatDelay')!, '--repeat-delay', command)
            : 0,
        },
      };
    }
    case 'sub': {
      if (topics.length === 0) {
        throw new CliUsageError(
          'sub needs a topic filter: -t filter (repeatable) or -L URL with a path',
          command,
        );
      }
      const args: SubArgs = {
        command,
        connection,
        topics,
        qos,
        verbose: has('verbose'),
        noNewline: has('noNewline'),
        skipRetained: has('skipRetained'),
        exitAfterSubscribe: has('exitAfterSubscribe'),
        unsubscribe: values.get('unsubscribe') ?? [],
        retainedOnly: has('retainedOnly'),
        removeRetained: has('removeRetained'),
        pretty: has('pretty'),
      };
      for (const filter of args.unsubscribe) {
        if (filter === '') throw new CliUsageError('-U: the filter must not be empty', command);
      }
      if (has('count')) args.count = parseCount(one('count')!, '-C', command);
      if (has('timeout')) args.timeoutSeconds = parseSeconds(one('timeout')!, '-W', command);
      if (has('format')) args.format = compileFormat(one('format')!);
      return { kind: 'run', args };
    }
    case 'bench': {
      if (topics.length > 1) throw new CliUsageError('bench uses one topic: give -t once', command);
      const size = has('size') ? parseCount(one('size')!, '-S', command) : 64;
      if (size < 8 || size > 16 * 1024 * 1024) {
        throw new CliUsageError(
          '-S: the size must be from 8 bytes (the timestamp) to 16 MiB',
          command,
        );
      }
      const args: BenchArgs = {
        command,
        connection,
        qos,
        count: has('count') ? parseCount(one('count')!, '-C', command) : 10_000,
        size,
        timeoutSeconds: has('timeout') ? parseSeconds(one('timeout')!, '-W', command) : 60,
      };
      if (topics[0] !== undefined) args.topic = topics[0];
      return { kind: 'run', args };
    }
    case 'watch': {
      const args: WatchArgs = { command, connection };
      if (has('timeout')) args.timeoutSeconds = parseSeconds(one('timeout')!, '-W', command);
      return { kind: 'run', args };
    }
  }
}

function connectionArgs(
  command: Command,
  one: (name: string) => string | undefined,
  has: (name: string) => boolean,
  properties: PropertySet,
  sawProperty: boolean,
): ConnectionArgs {
  let protocolVersion: 3 | 4 | 5 = 4;
  if (has('version')) {
    const v = one('version')!.toLowerCase();
    if (v === '5' || v === 'mqttv5') protocolVersion = 5;
    else if (v === '311' || v === 'mqttv311') protocolVersion = 4;
    // MQTT 3.1 (protocol name MQIsdp, level 3), for older brokers, as mosquitto_sub -V 31.
    else if (v === '31' || v === 'mqttv31') protocolVersion = 3;
    else {
      throw new CliUsageError(
        `-V ${one('version')}: use 311, 5, 31, mqttv311, mqttv5 or mqttv31`,
        command,
      );
    }
  }
  if (sawProperty && hasProperties(properties)) {
    if (has('version') && protocolVersion !== 5) {
      throw new CliUsageError('-D sets MQTT 5 properties: use -V 5 (or leave -V out)', command);
    }
    // As mosquitto: properties make it an MQTT 5 client.
    protocolVersion = 5;
  }

  const tlsWanted = has('cafile') || has('cert') || has('key') || has('insecure');
  let scheme: Scheme = tlsWanted ? 'mqtts' : 'mqtt';
  let host = one('host') ?? 'localhost';
  let port: number | undefined = has('port') ? parsePort(one('port')!, '-p', command) : undefined;
  let username = one('username');
  let password = one('password');
  if (has('url')) {
    if (has('host') || has('port')) {
      throw new CliUsageError('-L already names the broker: leave out -h and -p', command);
    }
    const url = parseBrokerUrl(one('url')!, command);
    if (tlsWanted && (url.scheme === 'mqtt' || url.scheme === 'ws')) {
      throw new CliUsageError(
        `--cafile/--cert/--key/--insecure need a TLS URL: use ${url.scheme}s:// instead of ${url.scheme}://`,
        command,
      );
    }
    scheme = url.scheme;
    host = url.host;
    port = url.port;
    if (url.username !== undefined) {
      if (username !== undefined)
        throw new CliUsageError('The user name is given twice (-L and -u)', command);
      username = url.username;
    }
    if (url.password !== undefined) {
      if (password !== undefined)
        throw new CliUsageError('The password is given twice (-L and -P)', command);
      password = url.password;
    }
  } else if (has('wsPath')) {
    throw new CliUsageError('--ws-path applies to -L ws[s]://... URLs', command);
  }
  if (has('key') !== has('cert')) {
    throw new CliUsageError(
      '--cert and --key go together: give both for a client certificate',
      command,
    );
  }
  if (password !== undefined && username === undefined && protocolVersion !== 5) {
    // [MQTT-3.1.2-22]: under 3.1.1 (and 3.1) a password needs a user name.
    throw new CliUsageError('-P needs -u under MQTT 3.1.1 and 3.1 (or use -V 5)', command);
  }
  const wsPath = one('wsPath') ?? '/mqtt';
  if (!wsPath.startsWith('/')) throw new CliUsageError('--ws-path must start with /', command);

  const connection: ConnectionArgs = {
    url: clientUrl(scheme, host, port ?? DEFAULT_PORTS[scheme], wsPath),
    protocolVersion,
    keepalive: has('keepalive') ? parseInteger(one('keepalive')!, '-k', 0, 65535, command) : 60,
    properties,
    debug: has('debug'),
    clean: !has('disableCleanSession'),
  };
  sessionArgs(connection, command, one, has);
  routeArgs(connection, command, one, has);
  const clientId = one('id');
  if (clientId !== undefined) connection.clientId = clientId;
  if (username !== undefined) connection.username = username;
  if (password !== undefined) connection.password = password;
  if (scheme === 'mqtts' || scheme === 'wss') {
    const tls: TlsArgs = { insecure: has('insecure') };
    if (has('cafile')) tls.cafile = one('cafile')!;
    if (has('cert')) tls.cert = one('cert')!;
    if (has('key')) tls.key = one('key')!;
    connection.tls = tls;
  }
  if (has('willTopic')) {
    connection.will = {
      topic: one('willTopic')!,
      payload: one('willPayload') ?? '',
      qos: has('willQos') ? parseQos(one('willQos')!, '--will-qos', command) : 0,
      retain: has('willRetain'),
    };
  } else if (
    has('willPayload') ||
    has('willQos') ||
    has('willRetain') ||
    Object.keys(properties.will).length > 0
  ) {
    throw new CliUsageError(
      '--will-payload, --will-qos, --will-retain and -D will need --will-topic',
      command,
    );
  }
  return connection;
}

/** `-c` and `-x`, read as mosquitto reads them. */
function sessionArgs(
  connection: ConnectionArgs,
  command: Command,
  one: (name: string) => string | undefined,
  has: (name: string) => boolean,
): void {
  if (!connection.clean && !has('id')) {
    // A kept session belongs to a client id: a generated one would never be used again.
    throw new CliUsageError('-c keeps the session of a client id: give one with -i', command);
  }
  if (has('sessionExpiry')) {
    if (connection.protocolVersion !== 5) {
      throw new CliUsageError('-x sets the MQTT 5 session expiry: add -V 5', command);
    }
    connection.sessionExpiryInterval = parseExpiry(one('sessionExpiry')!, command);
  } else if (!connection.clean && connection.protocolVersion === 5) {
    // As mosquitto: -c without -x under MQTT 5 is a session that never expires.
    connection.sessionExpiryInterval = 0xffffffff;
  }
}

/** `--unix` and `--proxy`: how the bytes reach the broker. */
function routeArgs(
  connection: ConnectionArgs,
  command: Command,
  one: (name: string) => string | undefined,
  has: (name: string) => boolean,
): void {
  if (has('unix')) {
    if (has('host') || has('port') || has('url')) {
      throw new CliUsageError('--unix already names the broker: leave out -h, -p and -L', command);
    }
    if (has('proxy')) throw new CliUsageError('--unix and --proxy do not go together', command);
    connection.socketPath = one('unix')!;
  }
  if (has('proxy')) {
    const proxy = one('proxy')!;
    // The message never repeats the URL: it may hold the proxy's password.
    if (!/^(https?|socks5h?|socks):\/\/[^/]+\/?$/i.test(proxy) || /^https:/i.test(proxy)) {
      throw new CliUsageError(
        '--proxy: expected socks5h://[user[:password]@]host[:port], socks5://... or http://...',
        command,
      );
    }
    connection.proxy = proxy;
  }
}

function parseExpiry(text: string, command: Command): number {
  if (text === '-1' || text === '∞' || text === 'inf') return 0xffffffff;
  return parseInteger(text, '-x', 0, 0xffffffff, command);
}

function parseDelay(text: string, flag: string, command: Command): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 0 && n <= 2_147_483)) {
    throw new CliUsageError(`${flag} ${text}: expected a number of seconds, 0 or more`, command);
  }
  return n;
}

function toCommand(word: string): Command {
  if ((COMMANDS as readonly string[]).includes(word)) return word as Command;
  const hint = word.startsWith('-')
    ? 'put the command first, e.g. mqttkit sub -t topic'
    : 'run mqttkit --help';
  throw new CliUsageError(`Unknown command "${word}": use pub, sub, bench or watch (${hint})`);
}

function parseInteger(
  text: string,
  flag: string,
  min: number,
  max: number,
  command: Command,
): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new CliUsageError(
      `${flag} ${text}: expected a whole number from ${min} to ${max}`,
      command,
    );
  }
  return n;
}

function parseQos(text: string, flag: string, command: Command): QoS {
  if (text !== '0' && text !== '1' && text !== '2') {
    throw new CliUsageError(`${flag} ${text}: the QoS is 0, 1 or 2`, command);
  }
  return Number(text) as QoS;
}

function parseCount(text: string, flag: string, command: Command): number {
  return parseInteger(text, flag, 1, Number.MAX_SAFE_INTEGER, command);
}

function parseSeconds(text: string, flag: string, command: Command): number {
  // Fractions are allowed (-W 0.5), unlike mosquitto, which only takes whole seconds.
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(n > 0 && n <= 2_147_483)) {
    throw new CliUsageError(`${flag} ${text}: expected a number of seconds above 0`, command);
  }
  return n;
}
