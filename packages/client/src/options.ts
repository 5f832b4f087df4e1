/**
 * The client's options: their types, defaults and validation. Validation happens once, in
 * `createClient`, and throws `InvalidOptionError` naming the option.
 */
import type { ConnectProperties, QoS, UserProperties, WillProperties } from '@mqttkit/codec';
import { createRealScheduler, realScheduler, type Scheduler } from '@mqttkit/keepalive';
import type { ProxyOptions, TlsOptions, WebSocketOptions } from '@mqttkit/transport';
import { type BackoffPolicy, DEFAULT_BACKOFF, validateBackoffPolicy } from './backoff.js';
import { InvalidOptionError } from './errors.js';
import { type AbortSignalLike, randomHex, utf8Encode } from './globals.js';
import { type Logger, noopLogger } from './logger.js';
import type { InflightStore } from './store.js';
import { checkOptionNames } from './unknown-options.js';
import { credentialsOf } from './url-credentials.js';

const processHoldingScheduler = createRealScheduler({ keepProcessAlive: true });

/** Automatic reconnect: the backoff between attempts and when to give up. */
export interface ReconnectOptions {
  /** Delay before the first retry, ms. Default from `DEFAULT_BACKOFF`. */
  initialDelay?: number;
  /** Cap of the delay, ms. */
  maxDelay?: number;
  /** Growth factor per attempt. */
  multiplier?: number;
  /** `full` (default): a random delay in [0, computed]; `none`: exactly the computed delay. */
  jitter?: 'full' | 'none';
  /** Give up after this many consecutive failed attempts. Default: never. */
  maxAttempts?: number;
  /**
   * Also retry after refusals that will not change by themselves: CONNACK "bad user name or
   * password", "not authorized", "banned", and broker DISCONNECTs such as "administrative action".
   * For credentials or ACLs refreshed out of band. Default false: such a refusal ends the client.
   */
  retryRefusals?: boolean;
}

/** The offline queue: operations made while a connection is on its way. */
export interface QueueOptions {
  /** Operations kept while offline. Default 1000. */
  maxMessages?: number;
  /** Optional bound on the payload bytes kept. */
  maxBytes?: number;
  /**
   * What a full queue does with a new operation. Default `reject-new` (`QueueFullError`).
   * `drop-oldest` evicts the oldest (telemetry where the newest reading matters). `wait`: the
   * operation waits for room, in order, and its promise stays pending meanwhile: nothing is
   * refused or lost, the caller's `signal` aborts the wait, `end()` rejects it. Only an operation
   * that could never fit (`maxMessages` 0, a payload above `maxBytes`) is refused.
   */
  overflow?: 'reject-new' | 'drop-oldest' | 'wait';
}

/** The Will message the broker publishes when the connection ends without DISCONNECT. */
export interface WillOptions {
  topic: string;
  payload: string | Uint8Array;
  qos?: QoS;
  retain?: boolean;
  properties?: WillProperties;
}

/** MQTT 5 enhanced authentication (section 4.12). */
export interface AuthOptions {
  /** Authentication Method, sent in CONNECT. */
  method: string;
  /** Initial Authentication Data, sent in CONNECT. */
  data?: Uint8Array;
  /**
   * Called for each AUTH "Continue authentication" (0x18) from the broker; returns the data of
   * the answer. A throw (or rejection) ends the connection attempt.
   */
  onChallenge(challenge: {
    data: Uint8Array | undefined;
    reasonString: string | undefined;
  }): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/** What `beforeConnect` is told about the attempt it prepares. */
export interface ConnectAttempt {
  /** 0 for the first attempt after `connect()`, then 1, 2... for each retry (as in `ConnectResult`). */
  attempt: number;
  /** Index in `servers` (`url` first) of the broker this attempt goes to. */
  serverIndex: number;
  /** Aborts when the attempt is abandoned: `end()`, the connect timeout, the connect signal. */
  signal: AbortSignalLike;
}

/**
 * Values used for one attempt instead of the options'. Omitted fields keep the options' values,
 * and nothing carries over to the next attempt (the hook runs again).
 */
export interface ConnectOverrides {
  /** Broker URL for this attempt (a freshly signed `wss:` URL, say) instead of `servers[serverIndex]`. */
  url?: string;
  username?: string;
  password?: string | Uint8Array;
  /** MQTT 5 CONNECT properties, merged over the options' (user properties replaced as a whole). */
  properties?: ConnectProperties;
}

/** The `beforeConnect` hook: awaited before every connection attempt. */
export type BeforeConnect = (
  attempt: ConnectAttempt,
) => BeforeConnectResult | Promise<BeforeConnectResult>;

// biome-ignore lint/suspicious/noConfusingVoidType: a hook with no return statement is allowed.
type BeforeConnectResult = ConnectOverrides | undefined | void;

/** One broker of `servers`. */
export interface ServerOptions {
  url: string;
}

/** Options of `createClient`; every one is optional except `url` or `servers`. */
export interface ClientOptions {
  /** Broker URL: `mqtt:`, `mqtts:`, `ws:`, `wss:`. Either `url` or `servers`. */
  url?: string;
  /** Brokers to fail over across, round robin on each retry. */
  servers?: ReadonlyArray<string | ServerOptions>;
  /**
   * 4 = MQTT 3.1.1, 5 = MQTT 5.0: pins the version. Not set: MQTT 5, and a server that refuses it
   * (a 3.1.1-only broker) is retried and then spoken to in 3.1.1; the `connect` result says which.
   * 3 = MQTT 3.1 (Protocol Name `MQIsdp`) for older brokers, only when pinned (negotiation never
   * goes below 3.1.1): a client id of 1-23 bytes, and no Session Present flag (see the README).
   */
  protocolVersion?: 3 | 4 | 5;
  /**
   * Default: `mqttkit_` and 16 random hex digits (14 under MQTT 3.1, whose ids are at most 23
   * bytes). MQTT 5 accepts '' (the broker assigns one).
   */
  clientId?: string;
  /** Clean Session (3.1.1) / Clean Start (5.0). Default true. */
  clean?: boolean;
  /** MQTT 5 Session Expiry Interval in seconds (a shortcut for `properties.sessionExpiryInterval`). */
  sessionExpiryInterval?: number;
  /** Keep Alive in seconds; 0 disables it. Default 60. */
  keepalive?: number;
  /** How long a PINGREQ may stay unanswered, ms. Default: half the keepalive. */
  pingTimeout?: number;
  username?: string;
  password?: string | Uint8Array;
  will?: WillOptions;
  /** Time allowed for transport + CONNECT/CONNACK, ms. Default 30 000. */
  connectTimeout?: number;
  /** `false`: never reconnect automatically. Default: exponential backoff with full jitter. */
  reconnect?: false | ReconnectOptions;
  /** Subscribe again to what was granted when a new connection has no session. Default true. */
  resubscribe?: boolean;
  /** The offline queue; `false` rejects operations made while offline. */
  queue?: false | QueueOptions;
  /** Largest packet accepted from the broker (sent as Maximum Packet Size under MQTT 5). */
  maxPacketSize?: number;
  /**
   * MQTT 5 Receive Maximum we announce (how many QoS 1/2 messages the broker may send unacked);
   * default 65535, the spec's value when none is announced. A broker past it is closed with
   * 0x93. Under MQTT 3.1.1 it bounds the messages held for `ackAfterHandler`: at the bound the
   * client stops reading the socket until handlers catch up.
   */
  receiveMaximum?: number;
  /** MQTT 5 Topic Alias Maximum we announce (incoming aliases). Default 0 (none). */
  topicAliasMaximum?: number;
  /** Use outgoing topic aliases when the broker allows them. Default true. */
  outgoingTopicAliases?: boolean;
  /** Other MQTT 5 CONNECT properties. */
  properties?: ConnectProperties;
  /** MQTT 5 enhanced authentication (AUTH exchange before CONNACK). */
  auth?: AuthOptions;
  /**
   * Awaited before every connection attempt (the first connect and each reconnect), before the
   * transport opens, so a browser app can fetch a fresh token or a signed URL. It may return
   * overrides for that attempt. It runs within the connect timeout and its `signal` aborts on
   * `end()` or timeout. A throw or rejection ends the attempt as a `transport-error` whose error
   * is a `BeforeConnectError` (the hook's error as `cause`), retried by the reconnect policy.
   * What it returns is never logged.
   */
  beforeConnect?: BeforeConnect;
  tls?: TlsOptions;
  ws?: WebSocketOptions;
  /**
   * Reach the broker through an HTTP (`CONNECT`) or SOCKS5 proxy, Node only: a URL such as
   * `'socks5://user:pass@127.0.0.1:1080'` or `'http://proxy:3128'`, or `{ url, username,
   * password }` (`ProxyOptions` of `@mqttkit/transport`). TLS stays end to end with the broker.
   * The proxy's credentials go to the proxy only and never into an error or a log line.
   */
  proxy?: string | ProxyOptions;
  /**
   * Connect to this Unix domain socket instead of the URL's host and port (Node only); the URL
   * still chooses the protocol. Not with `proxy`.
   */
  socketPath?: string;
  /** In-flight message store. Default: in memory. */
  store?: InflightStore;
  /** pino-shaped logger. Default: none. */
  logger?: Logger;
  /** Bound of each `messages()` iterator's buffer. Default 1000. */
  messageBufferSize?: number;
  /**
   * Acknowledge an incoming QoS 1/2 message only once every `message` listener has settled (a
   * listener may return a promise) and every `messages()` loop has moved past it. The broker's
   * Receive Maximum then throttles delivery to the pace of the application. Default false: acks
   * are sent on arrival.
   */
  ackAfterHandler?: boolean;
  /** Clock and timers (tests inject a fake one). Default: real timers. */
  scheduler?: Scheduler;
  /** Randomness in [0, 1) for jitter and the default client id. Default `Math.random`. */
  random?: () => number;
}

export interface ResolvedOptions {
  readonly servers: readonly string[];
  /** The framing of every packet: 4 for MQTT 3.1 too, which frames like 3.1.1 after CONNECT. */
  readonly protocolVersion: 4 | 5;
  /** `protocolVersion: 3`: the CONNECT says MQTT 3.1 (`MQIsdp`, level 3). */
  readonly mqtt31: boolean;
  /** `protocolVersion` was not set: 5 falls back to 4 on a server that refuses it. */
  readonly negotiateVersion: boolean;
  readonly clientId: string;
  readonly clean: boolean;
  readonly keepaliveSeconds: number;
  readonly pingTimeoutMs: number | undefined;
  readonly username: string | undefined;
  readonly password: Uint8Array | undefined;
  readonly will: WillOptions | undefined;
  readonly connectTimeoutMs: number;
  readonly reconnect:
    | false
    | { policy: BackoffPolicy; maxAttempts: number | undefined; retryRefusals: boolean };
  readonly resubscribe: boolean;
  readonly queue: false | (Required<Omit<QueueOptions, 'maxBytes'>> & { maxBytes?: number });
  readonly maxPacketSize: number | undefined;
  readonly connectProperties: ConnectProperties | undefined;
  readonly auth: AuthOptions | undefined;
  readonly beforeConnect: BeforeConnect | undefined;
  readonly incomingAliasMaximum: number;
  readonly outgoingTopicAliases: boolean;
  readonly tls: TlsOptions | undefined;
  readonly ws: WebSocketOptions | undefined;
  readonly proxy: string | ProxyOptions | undefined;
  readonly socketPath: string | undefined;
  readonly store: InflightStore | undefined;
  readonly logger: Logger;
  readonly messageBufferSize: number;
  readonly ackAfterHandler: boolean;
  /** The Receive Maximum we announce (65535 when none is), the bound of inbound flow control. */
  readonly receiveMaximum: number;
  /** The keepalive engine's clock: its timers never hold a process open (the socket does). */
  readonly scheduler: Scheduler;
  /**
   * The connect and reconnect timers' clock: while the client waits to reconnect no socket is
   * open, so these timers hold the process, as a pending reconnect is work in progress.
   */
  readonly lifecycleScheduler: Scheduler;
  readonly random: () => number;
}

const SCHEMES = /^(mqtt|mqtts|tcp|ssl|tls|ws|wss):\/\//i;

function isInt(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Refuses a value given (not undefined) that is not of `type`. */
export function checkType(
  name: string,
  value: unknown,
  type: 'string' | 'boolean' | 'function',
): void {
  if (value !== undefined && typeof value !== type) {
    throw new InvalidOptionError(name, `a ${type}`);
  }
}

function checkInt(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!isInt(value, min, max)) throw new InvalidOptionError(name, `an integer in [${min}, ${max}]`);
  return value;
}

export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object');
  }
  checkOptionNames(options);
  let listed: string[] = [];
  if (options.servers !== undefined) {
    if (!Array.isArray(options.servers) || options.servers.length === 0) {
      throw new InvalidOptionError('servers', 'a non-empty array of URLs');
    }
    listed = options.servers.map((server: string | ServerOptions) =>
      typeof server === 'string' ? server : server.url,
    );
  }
  // Built at its final length (an array grown by push keeps spare slots for the client's life).
  const servers = options.url === undefined ? listed : [options.url].concat(listed);
  if (servers.length === 0) throw new InvalidOptionError('url', 'a broker URL (or servers)');
  for (const url of servers) {
    if (typeof url !== 'string' || !SCHEMES.test(url)) {
      throw new InvalidOptionError('url', 'an mqtt:, mqtts:, ws: or wss: URL');
    }
    credentialsOf(url);
  }
  const requested = options.protocolVersion ?? 5;
  if (requested !== 3 && requested !== 4 && requested !== 5) {
    throw new InvalidOptionError('protocolVersion', '3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0)');
  }
  const mqtt31 = requested === 3;
  const protocolVersion = mqtt31 ? 4 : requested;
  const random = options.random ?? Math.random;
  checkType('random', random, 'function');
  const clientId = options.clientId ?? `mqttkit_${randomHex(random, mqtt31 ? 14 : 16)}`;
  checkType('clientId', clientId, 'string');
  // MQTT 3.1 section 3.1: the Client Identifier is 1 to 23 characters (checked as UTF-8 bytes,
  // the stricter reading; a 3.1 broker answers a longer one with return code 2).
  if (mqtt31 && (clientId === '' || utf8Encode(clientId).length > 23)) {
    throw new InvalidOptionError('clientId', '1-23 bytes under MQTT 3.1 (protocolVersion 3)');
  }
  const clean = options.clean ?? true;
  checkType('clean', clean, 'boolean');
  // [MQTT-3.1.3-7] (3.1.1): a zero-byte client id requires Clean Session (mqtt-packet asks the
  // same under 5.0).
  if (clientId === '' && !clean) {
    throw new InvalidOptionError('clientId', 'non-empty when clean is false');
  }
  const keepaliveSeconds = checkInt('keepalive', options.keepalive, 0, 65535) ?? 60;
  const pingTimeoutMs = checkInt('pingTimeout', options.pingTimeout, 1, 2 ** 31 - 1);
  const connectTimeoutMs =
    checkInt('connectTimeout', options.connectTimeout, 1, 2 ** 31 - 1) ?? 30_000;
  const maxPacketSize = checkInt('maxPacketSize', options.maxPacketSize, 2, 268_435_460);
  const receiveMaximum = checkInt('receiveMaximum', options.receiveMaximum, 1, 65535);
  const incomingAliasMaximum =
    checkInt('topicAliasMaximum', options.topicAliasMaximum, 0, 65535) ?? 0;
  const sessionExpiryInterval = checkInt(
    'sessionExpiryInterval',
    options.sessionExpiryInterval,
    0,
    0xffffffff,
  );
  const messageBufferSize =
    checkInt('messageBufferSize', options.messageBufferSize, 1, 2 ** 31 - 1) ?? 1000;
  checkType('username', options.username, 'string');
  // The proxy URL itself is read by the transport, which never repeats it in an error.
  if (typeof options.proxy !== 'string') checkType('proxy.url', options.proxy?.url, 'string');
  checkType('socketPath', options.socketPath, 'string');
  let password: Uint8Array | undefined;
  if (options.password !== undefined) {
    if (typeof options.password === 'string') password = utf8Encode(options.password);
    else if (options.password instanceof Uint8Array) password = options.password;
    else throw new InvalidOptionError('password', 'a string or Uint8Array');
  }
  if (options.will !== undefined) {
    const will = options.will;
    if (typeof will !== 'object' || will === null || typeof will.topic !== 'string') {
      throw new InvalidOptionError('will', '{ topic, payload, qos?, retain? }');
    }
    if (will.qos !== undefined && !isInt(will.qos, 0, 2)) {
      throw new InvalidOptionError('will.qos', '0, 1 or 2');
    }
  }
  checkType('beforeConnect', options.beforeConnect, 'function');
  let reconnect: ResolvedOptions['reconnect'] = false;
  if (options.reconnect !== false) {
    const r = options.reconnect ?? {};
    const policy: BackoffPolicy = {
      initialDelayMs: r.initialDelay ?? DEFAULT_BACKOFF.initialDelayMs,
      maxDelayMs: r.maxDelay ?? DEFAULT_BACKOFF.maxDelayMs,
      multiplier: r.multiplier ?? DEFAULT_BACKOFF.multiplier,
      jitter: r.jitter ?? DEFAULT_BACKOFF.jitter,
    };
    try {
      validateBackoffPolicy(policy);
    } catch (error) {
      throw new InvalidOptionError('reconnect', 'a valid backoff policy', { cause: error });
    }
    const maxAttempts = checkInt('reconnect.maxAttempts', r.maxAttempts, 0, 2 ** 31 - 1);
    checkType('reconnect.retryRefusals', r.retryRefusals, 'boolean');
    reconnect = { policy, maxAttempts, retryRefusals: r.retryRefusals === true };
  }
  let queue: ResolvedOptions['queue'] = false;
  if (options.queue !== false) {
    const q = options.queue ?? {};
    const maxMessages = checkInt('queue.maxMessages', q.maxMessages, 0, 2 ** 31 - 1) ?? 1000;
    const maxBytes = checkInt('queue.maxBytes', q.maxBytes, 0, 2 ** 53 - 1);
    const overflow = q.overflow ?? 'reject-new';
    if (overflow !== 'reject-new' && overflow !== 'drop-oldest' && overflow !== 'wait') {
      throw new InvalidOptionError('queue.overflow', "'reject-new', 'drop-oldest' or 'wait'");
    }
    queue =
      maxBytes === undefined ? { maxMessages, overflow } : { maxMessages, overflow, maxBytes };
  }
  const scheduler = options.scheduler ?? realScheduler;
  if (typeof scheduler.now !== 'function' || typeof scheduler.at !== 'function') {
    throw new InvalidOptionError('scheduler', '{ now(), at(timeMs, fn) }');
  }
  const lifecycleScheduler = options.scheduler ?? processHoldingScheduler;
  let connectProperties: ConnectProperties | undefined;
  if (protocolVersion === 5) {
    const props: ConnectProperties = { ...(options.properties ?? {}) };
    if (sessionExpiryInterval !== undefined) props.sessionExpiryInterval = sessionExpiryInterval;
    if (receiveMaximum !== undefined) props.receiveMaximum = receiveMaximum;
    if (maxPacketSize !== undefined) props.maximumPacketSize = maxPacketSize;
    if (incomingAliasMaximum > 0) props.topicAliasMaximum = incomingAliasMaximum;
    if (options.auth !== undefined) {
      if (
        typeof options.auth.method !== 'string' ||
        typeof options.auth.onChallenge !== 'function'
      ) {
        throw new InvalidOptionError('auth', '{ method, data?, onChallenge() }');
      }
      props.authenticationMethod = options.auth.method;
      if (options.auth.data !== undefined) props.authenticationData = options.auth.data;
    }
    connectProperties = Object.keys(props).length > 0 ? props : undefined;
  } else if (
    options.properties !== undefined ||
    sessionExpiryInterval !== undefined ||
    options.auth !== undefined
  ) {
    throw new InvalidOptionError('properties', 'no MQTT 5 properties under protocolVersion 4');
  }
  return {
    servers,
    protocolVersion,
    mqtt31,
    negotiateVersion: options.protocolVersion === undefined,
    clientId,
    clean,
    keepaliveSeconds,
    pingTimeoutMs,
    username: options.username,
    password,
    will: options.will,
    connectTimeoutMs,
    reconnect,
    resubscribe: options.resubscribe ?? true,
    queue,
    maxPacketSize,
    connectProperties,
    auth: protocolVersion === 5 ? options.auth : undefined,
    beforeConnect: options.beforeConnect,
    incomingAliasMaximum: protocolVersion === 5 ? incomingAliasMaximum : 0,
    outgoingTopicAliases: options.outgoingTopicAliases ?? true,
    tls: options.tls,
    ws: options.ws,
    proxy: options.proxy,
    socketPath: options.socketPath,
    store: options.store,
    logger: options.logger ?? noopLogger,
    messageBufferSize,
    ackAfterHandler: options.ackAfterHandler === true,
    // Absent, the Receive Maximum is 65535 (MQTT 5 section 3.1.2.11.3).
    receiveMaximum: connectProperties?.receiveMaximum ?? receiveMaximum ?? 65_535,
    scheduler,
    lifecycleScheduler,
    random,
  };
}

export type { UserProperties };
