/**
 * `proxy`: the same four schemes as a direct connection, tunnelled through real proxies started
 * on 127.0.0.1 by the test (an HTTP CONNECT proxy and a SOCKS5 proxy), with TLS verified end to
 * end inside the tunnel; proxies that want credentials, that refuse, and that are not there.
 */
import { createServer as createNetServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { inspect } from 'node:util';
import { type ProxyHandle, startHttpProxy, startSocksProxy } from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { open as openInBrowser } from '../src/browser.js';
import { type OpenOptions, open, type Transport, type TransportError } from '../src/index.js';
import { closeServer, freePort, listen, recorder } from './helpers.js';
import { certs, startWsServer, type WsServerHandle } from './ws-server.js';

const opened: Transport[] = [];
const servers: Server[] = [];
const proxies: ProxyHandle[] = [];
const wsServers: WsServerHandle[] = [];

afterEach(async () => {
  for (const transport of opened.splice(0)) transport.destroy();
  await Promise.all(servers.splice(0).map(closeServer));
  await Promise.all(wsServers.splice(0).map((s) => s.close()));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

const USER = 'proxy-user';
const SECRET = 'pr0xy-s3cret';

async function tcpEcho(): Promise<number> {
  const server = createNetServer((socket) => socket.pipe(socket));
  servers.push(server);
  return listen(server);
}

async function tlsEcho(): Promise<number> {
  const server = createTlsServer({ key: certs.key, cert: certs.cert }, (socket) =>
    socket.pipe(socket),
  );
  server.on('tlsClientError', () => {});
  servers.push(server);
  return listen(server);
}

async function wsEcho(secure: boolean): Promise<WsServerHandle> {
  const handle = await startWsServer({ secure });
  wsServers.push(handle);
  return handle;
}

async function roundTrip(url: string, options: OpenOptions): Promise<Transport> {
  const rec = recorder();
  const transport = await open(url, { ...options, ...rec.handlers });
  opened.push(transport);
  transport.write(Buffer.from('through the tunnel'));
  expect((await rec.waitForBytes(18)).toString()).toBe('through the tunnel');
  return transport;
}

async function failure(url: string, options: OpenOptions): Promise<TransportError> {
  const error = await open(url, options).then(
    (transport) => {
      opened.push(transport);
      throw new Error('open resolved');
    },
    (e: TransportError) => e,
  );
  return error;
}

/** Everything a log line could show of an error: message, fields, cause chain. */
function everything(error: unknown): string {
  return `${String(error)}\n${inspect(error, { depth: 20, showHidden: true })}\n${JSON.stringify(error)}`;
}

const KINDS = [
  { name: 'HTTP CONNECT', start: startHttpProxy },
  { name: 'SOCKS5', start: startSocksProxy },
] as const;

for (const kind of KINDS) {
  describe(`through a ${kind.name} proxy`, () => {
    async function proxy(options: Parameters<typeof kind.start>[0] = {}): Promise<ProxyHandle> {
      const handle = await kind.start(options);
      proxies.push(handle);
      return handle;
    }

    it('mqtt: bytes round-trip, and the proxy saw the broker as the target', async () => {
      const port = await tcpEcho();
      const p = await proxy();
      const transport = await roundTrip(`mqtt://127.0.0.1:${port}`, { proxy: p.url });
      expect(transport.info).toMatchObject({ kind: 'tcp', endpoint: `mqtt://127.0.0.1:${port}` });
      expect(p.requests).toEqual([`127.0.0.1:${port}`]);
      expect(p.granted).toBe(1);
    });

    it('mqtts: TLS runs end to end inside the tunnel, verified', async () => {
      const port = await tlsEcho();
      const p = await proxy();
      const transport = await roundTrip(`mqtts://127.0.0.1:${port}`, {
        proxy: { url: p.url },
        tls: { ca: certs.ca },
      });
      expect(transport.info.kind).toBe('tls');
      // Verification stays on: a CA that did not sign the broker's certificate is refused.
      const refused = await failure(`mqtts://127.0.0.1:${port}`, {
        proxy: p.url,
        tls: { ca: certs.otherCa },
      });
      expect(refused).toMatchObject({ code: 'MQTTKIT_ERR_TLS', check: 'unknown-ca' });
    });

    it.each([false, true])('ws (secure: %s): the upgrade runs over the tunnel', async (secure) => {
      const server = await wsEcho(secure);
      const p = await proxy();
      const transport = await roundTrip(`${server.url}/mqtt`, {
        proxy: p.url,
        ...(secure ? { tls: { ca: certs.ca } } : {}),
      });
      expect(transport.info).toMatchObject({ kind: secure ? 'wss' : 'ws', wsProtocol: 'mqtt' });
      expect(p.requests).toEqual([`127.0.0.1:${server.port}`]);
    });

    it('a proxy that needs credentials: URL user info works; none or wrong ones are refused, never shown', async () => {
      const port = await tcpEcho();
      const p = await proxy({ credentials: { username: USER, password: SECRET } });
      const withUrl = p.url.replace('://', `://${USER}:${encodeURIComponent(SECRET)}@`);
      await roundTrip(`mqtt://127.0.0.1:${port}`, { proxy: withUrl });
      await roundTrip(`mqtt://127.0.0.1:${port}`, {
        proxy: { url: p.url, username: USER, password: SECRET },
      });

      const none = await failure(`mqtt://127.0.0.1:${port}`, { proxy: p.url });
      expect(none).toMatchObject({ code: 'MQTTKIT_ERR_PROXY', failure: 'auth', proxy: p.url });
      expect(none.retryable).toBe(false);
      const wrong = await failure(`mqtt://127.0.0.1:${port}`, {
        proxy: p.url.replace('://', `://${USER}:not-${SECRET}@`),
      });
      expect(wrong).toMatchObject({ code: 'MQTTKIT_ERR_PROXY', failure: 'auth' });
      expect(wrong.message).toBe(
        `Proxy ${p.url} could not connect to mqtt://127.0.0.1:${port}: the proxy needs credentials or refused them${kind.name === 'SOCKS5' ? '' : ' (HTTP 407)'}`,
      );
      for (const error of [none, wrong]) {
        expect(everything(error)).not.toContain(SECRET);
        expect(everything(error)).not.toContain(USER);
      }
    });

    it('a proxy that refuses the tunnel: ProxyError "refused", retryable', async () => {
      const port = await tcpEcho();
      const p = await proxy({ refuse: true });
      const error = await failure(`mqtt://127.0.0.1:${port}`, { proxy: p.url });
      expect(error).toMatchObject({ code: 'MQTTKIT_ERR_PROXY', failure: 'refused' });
      expect(error.retryable).toBe(true);
      expect(p.requests).toEqual([`127.0.0.1:${port}`]);
    });

    it('no proxy listening: ProxyError "unreachable" naming the proxy without its credentials', async () => {
      const port = await freePort();
      const scheme = kind.name === 'SOCKS5' ? 'socks5' : 'http';
      const error = await failure('mqtt://127.0.0.1:1883', {
        proxy: `${scheme}://${USER}:${SECRET}@127.0.0.1:${port}`,
      });
      expect(error).toMatchObject({
        code: 'MQTTKIT_ERR_PROXY',
        failure: 'unreachable',
        systemCode: 'ECONNREFUSED',
      });
      expect(error.message).toContain(`${scheme}://127.0.0.1:${port}`);
      expect(everything(error)).not.toContain(SECRET);
    });
  });
}

describe('proxy option', () => {
  it('refuses an unknown proxy scheme before connecting, without repeating the URL', async () => {
    const error = await failure('mqtt://127.0.0.1:1883', {
      proxy: `ftp://u:${SECRET}@127.0.0.1:21`,
    });
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_UNSUPPORTED_PROTOCOL', scheme: 'ftp' });
    expect(everything(error)).not.toContain(SECRET);
  });

  it('the browser entry refuses it (the browser applies its own proxy settings)', async () => {
    await expect(
      openInBrowser('ws://127.0.0.1:1/mqtt', { proxy: 'http://127.0.0.1:3128' }),
    ).rejects.toMatchObject({ code: 'MQTTKIT_ERR_UNSUPPORTED_PROTOCOL' });
  });
});
