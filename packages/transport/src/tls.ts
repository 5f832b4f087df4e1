import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import { type ConnectionOptions, connect } from 'node:tls';
import { classifyConnectFailure } from './classify.js';
import { type ConnectAttempt, runConnectAttempt } from './connect-phase.js';
import { overRoute } from './route.js';
import { createSocketTransport } from './socket-link.js';
import type { OpenOptions, TlsMaterial, TlsOptions, Transport } from './types.js';
import type { Endpoint } from './url.js';

const noop = () => {};

/**
 * Node TLS options from ours. Certificates are always verified unless `insecureSkipVerify` is
 * set: `rejectUnauthorized` is derived here and cannot be passed in.
 */
export function nodeTlsOptions(endpoint: Endpoint, tls: TlsOptions = {}): ConnectionOptions {
  if (tls.insecureSkipVerify === true) warnInsecure();
  const servername = tls.servername ?? (isIP(endpoint.host) ? undefined : endpoint.host);
  return {
    host: endpoint.host,
    port: endpoint.port,
    ...(servername === undefined ? {} : { servername }),
    ...(tls.ca === undefined ? {} : { ca: material(tls.ca) }),
    ...(tls.cert === undefined ? {} : { cert: material(tls.cert) }),
    ...(tls.key === undefined ? {} : { key: material(tls.key) }),
    ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
    ...(tls.alpnProtocols === undefined ? {} : { ALPNProtocols: [...tls.alpnProtocols] }),
    rejectUnauthorized: tls.insecureSkipVerify !== true,
  };
}

let warned = false;

/** Once per process, like Node's own warning for NODE_TLS_REJECT_UNAUTHORIZED=0. */
function warnInsecure(): void {
  if (warned) return;
  warned = true;
  process.emitWarning(
    'tls.insecureSkipVerify is set: server certificates are not verified, so the connection ' +
      'can be read and changed by anyone on the network path. Trust a private CA with tls.ca instead.',
    { code: 'MQTTKIT_INSECURE_TLS' },
  );
}

function material(value: TlsMaterial | readonly TlsMaterial[]): Array<string | Buffer> {
  const list: readonly TlsMaterial[] = Array.isArray(value) ? value : [value as TlsMaterial];
  return list.map((item) =>
    typeof item === 'string' ? item : Buffer.from(item.buffer, item.byteOffset, item.byteLength),
  );
}

/**
 * TLS over TCP (`mqtts:`, `ssl:`, `tls:`). Over a Unix socket or a proxy tunnel the handshake
 * runs end to end with the broker, verified against the URL's host as on a direct connection.
 */
export function openTls(endpoint: Endpoint, options: OpenOptions): Promise<Transport> {
  return runConnectAttempt<Transport>(
    {
      signal: options.signal,
      connectTimeoutMs: options.connectTimeoutMs,
      endpoint: endpoint.display,
    },
    (attempt) =>
      overRoute(endpoint, options, attempt.fail, (raw) =>
        handshake(endpoint, options, attempt, raw),
      ),
  );
}

/** The TLS handshake, on a new TCP connection or on `raw` (already connected). */
function handshake(
  endpoint: Endpoint,
  options: OpenOptions,
  attempt: ConnectAttempt<Transport>,
  raw: Socket | undefined,
): () => void {
  const tlsOptions = nodeTlsOptions(endpoint, options.tls);
  const socket = connect(raw ? { ...tlsOptions, socket: raw } : tlsOptions);
  let phase: 'tcp' | 'tls-handshake' = raw ? 'tls-handshake' : 'tcp';
  const onConnect = () => {
    phase = 'tls-handshake';
  };
  const onError = (error: Error) =>
    attempt.fail(classifyConnectFailure(endpoint.display, error, phase));
  socket.once('connect', onConnect);
  socket.on('error', onError);
  socket.once('secureConnect', () => {
    socket.off('error', onError);
    const transport = createSocketTransport({
      socket,
      info: {
        kind: 'tls',
        endpoint: endpoint.display,
        alpnProtocol: socket.alpnProtocol || undefined,
        wsProtocol: undefined,
      },
      handlers: options,
      signal: options.signal,
      closeTimeoutMs: options.closeTimeoutMs,
    });
    if (!attempt.succeed(transport)) transport.destroy();
  });
  return () => {
    socket.off('error', onError);
    socket.off('connect', onConnect);
    socket.on('error', noop);
    socket.destroy();
  };
}
