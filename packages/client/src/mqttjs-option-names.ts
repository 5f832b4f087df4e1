/**
 * MQTT.js 5 option names (its `IClientOptions` and `ISecureClientOptions`) that mqttkit does not
 * share, each with where its job went: an unknown option that is one of these gets that instead
 * of a guess. Kept terse (the browser bundle pays for every byte); the client README's "Options
 * typed wrong" table says why for each. Names both libraries share (`clientId`, `keepalive`,
 * `clean`, `username`, `password`, `will`, `properties`, `protocolVersion`, `connectTimeout`,
 * `resubscribe`, `servers`, `auth`) are mqttkit options already.
 */
const IN_URL = "part of the URL: url: 'mqtt://host:port/path'";

/** `direct`, plus each name of a group's space-separated list mapped to the group's text. */
function table(
  direct: Record<string, string>,
  groups: ReadonlyArray<readonly [string, string]>,
): Readonly<Record<string, string>> {
  for (const [names, text] of groups) for (const name of names.split(' ')) direct[name] = text;
  return direct;
}

/** MQTT.js name -> what it is in mqttkit ("MQTT.js's <name> is <this>"). */
export const MQTTJS_OPTIONS = table(
  {
    reconnectPeriod: 'reconnect: { initialDelay } (0: reconnect: false)',
    reconnectOnConnackError: 'reconnect: { retryRefusals: true }',
    rejectUnauthorized: 'tls: { insecureSkipVerify: true } for false',
    ca: 'tls: { ca }',
    cert: 'tls: { cert }',
    key: 'tls: { key }',
    caPaths: 'tls: { ca } (the files read)',
    certPath: 'tls: { cert } (the file read)',
    keyPath: 'tls: { key } (the file read)',
    ALPNProtocols: 'tls: { alpnProtocols }',
    servername: 'tls: { servername }',
    wsOptions: 'ws: { headers, protocols, path }',
    transformWsUrl: 'beforeConnect returning { url }',
    authPacket: 'auth: { method, data, onChallenge }',
    queueQoSZero: 'queue (every offline operation is queued)',
    log: 'logger',
    timerVariant: 'scheduler',
    unixSocket: 'socketPath (the path of the socket)',
    socksProxy: "proxy ('socks5://host:port', or http:// for CONNECT)",
    socksTimeout: 'connectTimeout (the tunnel is part of the connect)',
  },
  [
    ['host hostname port path protocol defaultProtocol query', IN_URL],
    [
      'encoding binary objectMode browserBufferSize browserBufferTimeout writeCache my ' +
        'manualConnect customHandleAcks reschedulePings subscribeBatchSize messageIdProvider ' +
        'protocolId forceNativeWebSocket',
      'not needed in mqttkit (see its README)',
    ],
    ['createWebsocket', 'not supported by mqttkit'],
    ['incomingStore outgoingStore', 'store'],
    ['autoUseTopicAlias autoAssignTopicAlias', 'outgoingTopicAliases'],
  ],
);

/** MQTT.js `servers` entries are `{ host, port, protocol }`; mqttkit's are URLs. */
export const MQTTJS_SERVER_OPTIONS = table({}, [
  ['host port protocol', "part of the server's URL: servers: ['mqtt://host:port']"],
]);
