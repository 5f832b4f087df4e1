import { request } from 'node:http';
import type { Socket } from 'node:net';
import { codeOf } from './classify.js';
import { ProxyError } from './errors.js';
import type { ProxyTarget } from './proxy-url.js';

/** How a tunnel attempt reports back; `cancel` (returned) tears a pending one down. */
export interface TunnelCallbacks {
  /** The tunnel is open: bytes written to `socket` reach the broker. */
  open(socket: Socket): void;
  fail(error: ProxyError): void;
}

/** The target of a tunnel: the broker's host (name or IP literal) and port. */
export interface TunnelTarget {
  readonly host: string;
  readonly port: number;
  /** The broker as `scheme://host:port`, for messages. */
  readonly display: string;
}

/**
 * An HTTP `CONNECT` tunnel (RFC 9110 section 9.3.6) with Node's own client: no agent, one
 * socket per tunnel. Credentials go in a Basic `Proxy-Authorization` header (RFC 9110 section
 * 11.7.2), which no error carries.
 */
export function openHttpTunnel(
  proxy: ProxyTarget,
  target: TunnelTarget,
  callbacks: TunnelCallbacks,
): () => void {
  const authority = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username !== undefined) {
    const basic = Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64');
    headers['proxy-authorization'] = `Basic ${basic}`;
  }
  const req = request({
    host: proxy.host,
    port: proxy.port,
    method: 'CONNECT',
    path: authority,
    headers,
    agent: false,
  });
  let settled = false;
  const fail = (error: ProxyError): void => {
    if (settled) return;
    settled = true;
    callbacks.fail(error);
  };
  // Node emits 'connect' for every answer to a CONNECT, whatever its status.
  req.once('connect', (res, socket, head) => {
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      socket.destroy();
      const failure = status === 407 ? 'auth' : 'refused';
      const text = status === 407 ? 'the proxy needs credentials or refused them' : 'it refused';
      fail(
        new ProxyError(target.display, proxy.display, failure, `${text} (HTTP ${status})`, {
          status,
        }),
      );
      return;
    }
    if (settled) {
      socket.destroy();
      return;
    }
    settled = true;
    // Bytes the broker sent right behind the proxy's answer belong to the stream.
    if (head.length > 0) socket.unshift(head);
    callbacks.open(socket);
  });
  req.once('response', (res) => {
    // A plain (non-CONNECT) answer: not an HTTP proxy.
    res.resume();
    fail(
      new ProxyError(
        target.display,
        proxy.display,
        'protocol',
        `it answered HTTP ${res.statusCode} without a tunnel`,
        { status: res.statusCode },
      ),
    );
  });
  req.on('error', (error) => fail(proxyConnectFailure(target, proxy, error)));
  req.end();
  return () => {
    settled = true;
    req.on('error', () => {});
    req.destroy();
  };
}

/** The proxy could not be reached, or broke the handshake; `cause` keeps only code and message. */
export function proxyConnectFailure(
  target: TunnelTarget,
  proxy: ProxyTarget,
  error: unknown,
): ProxyError {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const cause = Object.assign(new Error(message), code === undefined ? {} : { code });
  const detail = code === undefined ? message : `the proxy could not be reached (${code})`;
  return new ProxyError(target.display, proxy.display, 'unreachable', detail, { cause });
}
