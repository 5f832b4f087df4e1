import { openTcp } from './tcp.js';
import { openTls } from './tls.js';
import type { OpenOptions, Transport } from './types.js';
import { type Endpoint, parseEndpoint } from './url.js';
import { openWs } from './ws.js';

/**
 * Opens a transport for `url`, choosing the adapter by scheme: `mqtt:`/`tcp:` (TCP),
 * `mqtts:`/`ssl:`/`tls:` (TLS), `ws:`/`wss:` (WebSocket via `ws`). Resolves once bytes can flow,
 * or rejects with a `TransportError`; never both resolves and calls `onClose`.
 */
export function open(
  url: string | { href: string },
  options: OpenOptions = {},
): Promise<Transport> {
  let endpoint: Endpoint;
  try {
    endpoint = parseEndpoint(url);
  } catch (error) {
    return Promise.reject(error);
  }
  switch (endpoint.kind) {
    case 'tcp':
      return openTcp(endpoint, options);
    case 'tls':
      return openTls(endpoint, options);
    case 'ws':
    case 'wss':
      return openWs(endpoint, options);
  }
}
