import { InvalidUrlError, UnsupportedProtocolError } from './errors.js';
import { parseUrl } from './globals.js';
import type { TransportKind } from './types.js';

export interface Endpoint {
  readonly kind: TransportKind;
  /** Host name or IP literal, IPv6 without brackets. */
  readonly host: string;
  readonly port: number;
  /** Path and query (WebSocket only; `/` when the URL has none). */
  readonly path: string;
  /** `scheme://host:port[/path]` for messages: never the user info. */
  readonly display: string;
}

const SCHEMES: Readonly<Record<string, { kind: TransportKind; port: number }>> = {
  mqtt: { kind: 'tcp', port: 1883 },
  tcp: { kind: 'tcp', port: 1883 },
  mqtts: { kind: 'tls', port: 8883 },
  ssl: { kind: 'tls', port: 8883 },
  tls: { kind: 'tls', port: 8883 },
  ws: { kind: 'ws', port: 80 },
  wss: { kind: 'wss', port: 443 },
};

/**
 * Reads a transport URL. User info (`user:pass@`) is ignored here: MQTT credentials belong in
 * CONNECT, which the layer above builds, and they must never reach an error message.
 */
export function parseEndpoint(url: string | { href: string }): Endpoint {
  let parsed: ReturnType<typeof parseUrl>;
  try {
    parsed = parseUrl(typeof url === 'string' ? url : url.href);
  } catch (error) {
    throw new InvalidUrlError({ cause: error });
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  const known = SCHEMES[scheme];
  if (!known) throw new UnsupportedProtocolError(scheme);
  if (parsed.hostname === '') throw new InvalidUrlError();
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port === '' ? known.port : Number(parsed.port);
  const path = `${parsed.pathname === '' ? '/' : parsed.pathname}${parsed.search}`;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const isWs = known.kind === 'ws' || known.kind === 'wss';
  return {
    kind: known.kind,
    host,
    port,
    path,
    display: `${scheme}://${hostPart}:${port}${isWs ? parsed.pathname : ''}`,
  };
}

/** Whether `host` is an IPv4 or IPv6 literal (no SNI is sent for those, RFC 6066 section 3). */
export function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}
