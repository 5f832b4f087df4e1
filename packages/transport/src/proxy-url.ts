import { InvalidUrlError, UnsupportedProtocolError } from './errors.js';
import type { ProxyOptions } from './types.js';

/** A proxy as the tunnel code needs it. `display` never holds the credentials. */
export interface ProxyTarget {
  readonly protocol: 'http' | 'socks5' | 'socks5h';
  readonly host: string;
  readonly port: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** `scheme://host:port`, for messages. */
  readonly display: string;
}

const PROTOCOLS: Readonly<Record<string, { protocol: ProxyTarget['protocol']; port: number }>> = {
  http: { protocol: 'http', port: 80 },
  socks5: { protocol: 'socks5', port: 1080 },
  socks5h: { protocol: 'socks5h', port: 1080 },
  // curl and most tools read a bare socks:// as SOCKS5 with the name resolved by the proxy.
  socks: { protocol: 'socks5h', port: 1080 },
};

/**
 * Reads the `proxy` option. Errors never repeat the URL: it may hold a password.
 */
export function parseProxy(proxy: string | ProxyOptions): ProxyTarget {
  const options = typeof proxy === 'string' ? { url: proxy } : proxy;
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch (error) {
    throw new InvalidUrlError({ cause: error });
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  const known = PROTOCOLS[scheme];
  if (!known) {
    throw new UnsupportedProtocolError(scheme, 'a proxy is http:, socks5:, socks5h: or socks:');
  }
  if (parsed.hostname === '') throw new InvalidUrlError();
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port === '' ? known.port : Number(parsed.port);
  const username = options.username ?? decode(parsed.username);
  const password = options.password ?? decode(parsed.password);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    protocol: known.protocol,
    host,
    port,
    username,
    password,
    display: `${scheme}://${hostPart}:${port}`,
  };
}

function decode(text: string): string | undefined {
  if (text === '') return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InvalidUrlError();
  }
}
