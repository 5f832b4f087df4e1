/**
 * Every option name the client knows, per options object. Typed against the option interfaces
 * (`satisfies Record<keyof ...>`), so a new option that is not listed here fails the build.
 */
import type { TlsOptions, WebSocketOptions } from '@mqttkit/transport';
import type {
  AuthOptions,
  ClientOptions,
  QueueOptions,
  ReconnectOptions,
  ServerOptions,
  WillOptions,
} from './options.js';

type Names<T> = Readonly<Record<keyof T, true>>;

export const CLIENT_OPTION_NAMES = {
  url: true,
  servers: true,
  protocolVersion: true,
  clientId: true,
  clean: true,
  sessionExpiryInterval: true,
  keepalive: true,
  pingTimeout: true,
  username: true,
  password: true,
  will: true,
  connectTimeout: true,
  reconnect: true,
  resubscribe: true,
  queue: true,
  maxPacketSize: true,
  receiveMaximum: true,
  topicAliasMaximum: true,
  outgoingTopicAliases: true,
  properties: true,
  auth: true,
  beforeConnect: true,
  tls: true,
  ws: true,
  store: true,
  logger: true,
  messageBufferSize: true,
  ackAfterHandler: true,
  scheduler: true,
  random: true,
} as const satisfies Names<ClientOptions>;

export const RECONNECT_OPTION_NAMES = {
  initialDelay: true,
  maxDelay: true,
  multiplier: true,
  jitter: true,
  maxAttempts: true,
  retryRefusals: true,
} as const satisfies Names<ReconnectOptions>;

export const QUEUE_OPTION_NAMES = {
  maxMessages: true,
  maxBytes: true,
  overflow: true,
} as const satisfies Names<QueueOptions>;

export const WILL_OPTION_NAMES = {
  topic: true,
  payload: true,
  qos: true,
  retain: true,
  properties: true,
} as const satisfies Names<WillOptions>;

export const AUTH_OPTION_NAMES = {
  method: true,
  data: true,
  onChallenge: true,
} as const satisfies Names<AuthOptions>;

export const SERVER_OPTION_NAMES = { url: true } as const satisfies Names<ServerOptions>;

export const TLS_OPTION_NAMES = {
  ca: true,
  cert: true,
  key: true,
  passphrase: true,
  servername: true,
  alpnProtocols: true,
  insecureSkipVerify: true,
} as const satisfies Names<TlsOptions>;

export const WS_OPTION_NAMES = {
  path: true,
  headers: true,
  protocols: true,
} as const satisfies Names<WebSocketOptions>;
