/**
 * Every option name the client knows, per options object, as one space-separated list each. The
 * lists are checked against the option interfaces at compile time: a new option missing from its
 * list, or a listed name no interface has, fails the build.
 */
import type { ProxyOptions, TlsOptions, WebSocketOptions } from '@mqttkit/transport';
import type {
  AuthOptions,
  ClientOptions,
  QueueOptions,
  ReconnectOptions,
  ServerOptions,
  WillOptions,
} from './options.js';

/** The words of a space-separated list, as a union. */
type Words<S extends string> = S extends `${infer Head} ${infer Rest}` ? Head | Words<Rest> : S;

/** `unknown` when the words of `L` are exactly the keys of `T`, else `never` (the call is refused). */
type Exactly<T, L extends string> = [Exclude<keyof T, Words<L>>] extends [never]
  ? [Exclude<Words<L>, keyof T>] extends [never]
    ? unknown
    : never
  : never;

/** The names of `T`, given as space-separated lists (several, to keep lines short). */
const optionNames =
  <T>() =>
  <const L extends readonly string[]>(...lists: L & Exactly<T, L[number]>): ReadonlySet<string> =>
    new Set(lists.join(' ').split(' '));

export const CLIENT_OPTION_NAMES = optionNames<ClientOptions>()(
  'url servers protocolVersion clientId clean sessionExpiryInterval keepalive pingTimeout',
  'username password will connectTimeout reconnect resubscribe queue maxPacketSize',
  'receiveMaximum topicAliasMaximum outgoingTopicAliases properties auth beforeConnect',
  'tls ws proxy socketPath store logger messageBufferSize ackAfterHandler scheduler random',
);

export const RECONNECT_OPTION_NAMES = optionNames<ReconnectOptions>()(
  'initialDelay maxDelay multiplier jitter maxAttempts retryRefusals',
);

export const QUEUE_OPTION_NAMES = optionNames<QueueOptions>()('maxMessages maxBytes overflow');

export const WILL_OPTION_NAMES = optionNames<WillOptions>()('topic payload qos retain properties');

export const AUTH_OPTION_NAMES = optionNames<AuthOptions>()('method data onChallenge');

export const SERVER_OPTION_NAMES = optionNames<ServerOptions>()('url');

export const TLS_OPTION_NAMES = optionNames<TlsOptions>()(
  'ca cert key passphrase servername alpnProtocols insecureSkipVerify',
);

export const WS_OPTION_NAMES = optionNames<WebSocketOptions>()('path headers protocols');

export const PROXY_OPTION_NAMES = optionNames<ProxyOptions>()('url username password');
