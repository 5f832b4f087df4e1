/**
 * MQTT.js 5 option names (its `IClientOptions` and `ISecureClientOptions`) that mqttkit does not
 * share, each with where its job went: an unknown option that is one of these gets this sentence
 * instead of a guess. Names both libraries share (`clientId`, `keepalive`, `clean`, `username`,
 * `password`, `will`, `properties`, `protocolVersion`, `connectTimeout`, `resubscribe`,
 * `servers`) are mqttkit options already; MQTT.js's string `auth` is not (ours is MQTT 5
 * enhanced authentication): its user name and password go in `username`/`password` or the URL.
 */
const URL_PARTS = "is part of the broker URL: url: 'mqtt://host:port' ('ws://host:port/path')";
const NOT_NEEDED = 'is not needed in mqttkit';

export const MQTTJS_OPTIONS: Readonly<Record<string, string>> = {
  reconnectPeriod:
    'is reconnect: { initialDelay } in mqttkit (reconnectPeriod: 0 is reconnect: false)',
  reconnectOnConnackError: 'is reconnect: { retryRefusals: true } in mqttkit',
  rejectUnauthorized:
    'is tls: { insecureSkipVerify: true } in mqttkit for rejectUnauthorized: false (certificates are verified by default)',
  ca: 'is tls: { ca } in mqttkit',
  cert: 'is tls: { cert } in mqttkit',
  key: 'is tls: { key } in mqttkit',
  caPaths: 'is tls: { ca } in mqttkit, with the files read by the application',
  certPath: 'is tls: { cert } in mqttkit, with the file read by the application',
  keyPath: 'is tls: { key } in mqttkit, with the file read by the application',
  ALPNProtocols: 'is tls: { alpnProtocols } in mqttkit',
  servername: 'is tls: { servername } in mqttkit',
  wsOptions: 'is ws: { headers, protocols, path } in mqttkit',
  transformWsUrl: 'is beforeConnect returning { url } in mqttkit (run before every attempt)',
  createWebsocket: 'is not supported by mqttkit: its transport opens the WebSocket itself',
  forceNativeWebSocket: `${NOT_NEEDED}: the browser build always uses the native WebSocket`,
  host: URL_PARTS,
  hostname: URL_PARTS,
  port: URL_PARTS,
  path: URL_PARTS,
  protocol: URL_PARTS,
  defaultProtocol: URL_PARTS,
  query: `${URL_PARTS} with its query`,
  unixSocket: 'is not supported by mqttkit: it connects over TCP, TLS or WebSocket',
  socksProxy: 'is not supported by mqttkit',
  socksTimeout: 'is not supported by mqttkit',
  manualConnect: `${NOT_NEEDED}: createClient() never connects by itself; call client.connect()`,
  authPacket: 'is auth: { method, data, onChallenge } in mqttkit (MQTT 5 enhanced authentication)',
  customHandleAcks: `${NOT_NEEDED}: refusals are results; see ackAfterHandler for acks sent after the handler`,
  incomingStore: 'is store in mqttkit (one in-flight store for both directions)',
  outgoingStore: 'is store in mqttkit (one in-flight store for both directions)',
  queueQoSZero:
    'is queue in mqttkit: every operation made offline is queued; queue: false rejects them',
  log: 'is logger in mqttkit (pino-shaped: trace, debug, info, warn, error)',
  autoUseTopicAlias: 'is outgoingTopicAliases in mqttkit (on by default)',
  autoAssignTopicAlias: 'is outgoingTopicAliases in mqttkit (on by default)',
  reschedulePings: `${NOT_NEEDED}: keepalive counts every packet sent`,
  subscribeBatchSize: `${NOT_NEEDED}: resubscription sends what was granted`,
  messageIdProvider: `${NOT_NEEDED}: the client allocates packet identifiers`,
  protocolId: `${NOT_NEEDED}: it follows protocolVersion`,
  timerVariant: 'is scheduler in mqttkit (createRealScheduler({ timers }) for worker timers)',
  encoding: `${NOT_NEEDED}: payloads are Uint8Array; decode them with TextDecoder`,
  binary: `${NOT_NEEDED}: payloads are Uint8Array`,
  objectMode: NOT_NEEDED,
  browserBufferSize: NOT_NEEDED,
  browserBufferTimeout: NOT_NEEDED,
  writeCache: NOT_NEEDED,
  my: `${NOT_NEEDED}: keep application state next to the client`,
};

/** MQTT.js `servers` entries are `{ host, port, protocol }`; mqttkit's are URLs. */
export const MQTTJS_SERVER_OPTIONS: Readonly<Record<string, string>> = {
  host: "is part of the server's URL in mqttkit: servers: ['mqtt://host:port']",
  port: "is part of the server's URL in mqttkit: servers: ['mqtt://host:port']",
  protocol: "is part of the server's URL in mqttkit: servers: ['mqtt://host:port']",
};
