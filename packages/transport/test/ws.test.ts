import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { type OpenOptions, open, type Transport } from '../src/index.js';
import { closeServer, freePort, listen, recorder, sleep } from './helpers.js';
import { certs, startWsServer, type WsServerHandle } from './ws-server.js';

const opened: Transport[] = [];
const handles: WsServerHandle[] = [];
const netServers: Server[] = [];

afterEach(async () => {
  for (const transport of opened.splice(0)) transport.destroy();
  await Promise.all(handles.splice(0).map((handle) => handle.close()));
  await Promise.all(netServers.splice(0).map(closeServer));
});

async function server(options: Parameters<typeof startWsServer>[0] = {}) {
  const handle = await startWsServer(options);
  handles.push(handle);
  return handle;
}

async function openTracked(url: string, options: OpenOptions) {
  const transport = await open(url, options);
  opened.push(transport);
  return transport;
}

for (const secure of [false, true]) {
  const scheme = secure ? 'wss' : 'ws';
  const tls = secure ? { ca: certs.ca } : undefined;

  describe(`${scheme}: with a ws server`, () => {
    it('negotiates the mqtt subprotocol and round-trips binary frames', async () => {
      let serverProtocol: string | undefined;
      const { url } = await server({
        secure,
        onConnection(socket) {
          serverProtocol = socket.protocol;
          socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
        },
      });
      const rec = recorder();
      const transport = await openTracked(`${url}/mqtt`, { ...rec.handlers, tls });
      expect(serverProtocol).toBe('mqtt');
      expect(transport.info).toMatchObject({ kind: scheme, wsProtocol: 'mqtt' });
      expect(transport.info.endpoint).toBe(`${url}/mqtt`);
      const payload = Uint8Array.from({ length: 300 }, (_, i) => 255 - (i % 256));
      expect(transport.write(payload)).toBe(true);
      expect([...(await rec.waitForBytes(300))]).toEqual([...payload]);
      transport.close();
      expect(await rec.waitForClose()).toEqual({ initiator: 'local' });
    });

    it('sends the writes of one tick as one binary frame', async () => {
      const frames: Buffer[] = [];
      const { url } = await server({
        secure,
        onConnection(socket) {
          socket.on('message', (data) => frames.push(data as Buffer));
        },
      });
      const transport = await openTracked(url, { tls });
      transport.write(Uint8Array.of(0x30, 0x03));
      transport.write(Uint8Array.of(0x00, 0x01));
      transport.write(Uint8Array.of(0x61));
      await vi.waitFor(() => expect(frames).toHaveLength(1));
      expect([...frames[0]!]).toEqual([0x30, 0x03, 0x00, 0x01, 0x61]);
      await sleep(20);
      expect(frames).toHaveLength(1);
    });

    it('rejects a refused upgrade with WebSocketHandshakeError carrying the HTTP status', async () => {
      const { url } = await server({ secure, server: { path: '/mqtt' } });
      // ws answers 400 for a path it does not serve; use a server answering 404 as well below.
      const wrongPath = await open(`${url}/nope`, { tls }).catch((e) => e);
      expect(wrongPath).toMatchObject({
        code: 'MQTTKIT_ERR_WEBSOCKET_HANDSHAKE',
        name: 'WebSocketHandshakeError',
        status: 400,
      });
    });
  });
}

describe('ws: handshake failures', () => {
  it('maps an HTTP 404 answer to the upgrade to WebSocketHandshakeError status 404', async () => {
    const http = createNetServer((socket) => {
      socket.once('data', () =>
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
      );
    });
    netServers.push(http);
    const port = await listen(http);
    const rec = recorder();
    const error = await open(`ws://127.0.0.1:${port}/mqtt`, rec.handlers).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_WEBSOCKET_HANDSHAKE', status: 404 });
    expect(error.message).toContain('HTTP 404');
    expect(rec.closes).toHaveLength(0);
  });

  it('fails when the server selects no subprotocol', async () => {
    const { url } = await server({ server: { handleProtocols: () => false } });
    const error = await open(url).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_WEBSOCKET_HANDSHAKE', status: 101 });
  });

  it('rejects a refused port with TransportConnectError (ECONNREFUSED)', async () => {
    const port = await freePort();
    const error = await open(`ws://user:pw@127.0.0.1:${port}/mqtt?token=abc`).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_CONNECT', systemCode: 'ECONNREFUSED' });
    expect(error.message).not.toMatch(/user|pw|token|abc/);
  });

  it('times out when the server accepts TCP but never answers the upgrade', async () => {
    const silent = createNetServer(() => {});
    netServers.push(silent);
    const port = await listen(silent);
    const error = await open(`ws://127.0.0.1:${port}`, { connectTimeoutMs: 150 }).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_CONNECT_TIMEOUT' });
  });

  it('aborts a pending upgrade with AbortError', async () => {
    const silent = createNetServer(() => {});
    netServers.push(silent);
    const port = await listen(silent);
    const controller = new AbortController();
    const pending = open(`ws://127.0.0.1:${port}`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    expect(await pending.catch((e) => e)).toMatchObject({ code: 'MQTTKIT_ERR_ABORTED' });
  });
});

describe('ws: options', () => {
  it('sends ws.headers and uses ws.path over the URL path', async () => {
    let seen: { url?: string; auth?: string; protocol?: string } = {};
    const { url } = await server({
      onConnection(socket, request) {
        seen = {
          url: request.url,
          auth: request.headers['x-auth-token'] as string,
          protocol: socket.protocol,
        };
      },
    });
    await openTracked(`${url}/ignored`, {
      ws: {
        path: '/mqtt/v1?client=a',
        headers: { 'x-auth-token': 't0k' },
        protocols: ['mqttv3.1'],
      },
    });
    await vi.waitFor(() =>
      expect(seen).toEqual({ url: '/mqtt/v1?client=a', auth: 't0k', protocol: 'mqttv3.1' }),
    );
  });
});

describe('ws: close', () => {
  let peer: WebSocket | undefined;
  const peerServer = () =>
    server({
      onConnection(socket) {
        peer = socket;
      },
    });

  it('a normal close from the peer is initiator peer without error', async () => {
    const { url } = await peerServer();
    const rec = recorder();
    await openTracked(url, rec.handlers);
    await vi.waitFor(() => expect(peer).toBeDefined());
    peer!.close(1000);
    expect(await rec.waitForClose()).toEqual({ initiator: 'peer' });
    await sleep(30);
    expect(rec.closes).toHaveLength(1);
  });

  it('an abnormal end (peer vanished) is a SocketError with close code 1006', async () => {
    const { url } = await peerServer();
    const rec = recorder();
    await openTracked(url, rec.handlers);
    await vi.waitFor(() => expect(peer).toBeDefined());
    peer!.terminate();
    const event = await rec.waitForClose();
    expect(event.initiator).toBe('peer');
    expect(event.error).toMatchObject({ code: 'MQTTKIT_ERR_SOCKET', wsCloseCode: 1006 });
  });

  it('a text frame closes the link: MQTT requires binary frames [MQTT-6.0.0-1]', async () => {
    const { url } = await peerServer();
    const rec = recorder();
    await openTracked(url, rec.handlers);
    await vi.waitFor(() => expect(peer).toBeDefined());
    peer!.send('not binary');
    const event = await rec.waitForClose();
    expect(event).toMatchObject({ initiator: 'peer', error: { code: 'MQTTKIT_ERR_SOCKET' } });
    expect(rec.chunks).toHaveLength(0);
  });

  it('close() flushes, sends close code 1000 and reports local once', async () => {
    const got: { frames: Buffer[]; code?: number } = { frames: [] };
    const { url } = await server({
      onConnection(socket) {
        socket.on('message', (data) => got.frames.push(data as Buffer));
        socket.on('close', (code) => {
          got.code = code;
        });
      },
    });
    const rec = recorder();
    const transport = await openTracked(url, rec.handlers);
    transport.write(Uint8Array.of(0xe0, 0x00)); // DISCONNECT
    transport.close();
    transport.close();
    expect(transport.write(Uint8Array.of(1))).toBe(false);
    expect(await rec.waitForClose()).toEqual({ initiator: 'local' });
    await vi.waitFor(() => expect(got.code).toBe(1000));
    expect(got.frames.map((frame) => [...frame])).toEqual([[0xe0, 0x00]]);
  });

  it('after open, aborting the signal destroys with AbortError', async () => {
    const { url } = await peerServer();
    const controller = new AbortController();
    const rec = recorder();
    await openTracked(url, { ...rec.handlers, signal: controller.signal });
    controller.abort();
    expect(rec.closes).toEqual([
      { initiator: 'local', error: expect.objectContaining({ code: 'MQTTKIT_ERR_ABORTED' }) },
    ]);
  });
});

describe('ws: backpressure', () => {
  it('write returns false above the mark, onDrain fires when the buffer empties', async () => {
    let rawSocket: Socket | undefined;
    let received = 0;
    const { url } = await server({
      onConnection(socket, request) {
        rawSocket = request.socket;
        rawSocket.pause();
        socket.on('message', (data) => {
          received += (data as Buffer).length;
        });
      },
    });
    const rec = recorder();
    const transport = await openTracked(url, rec.handlers);
    await vi.waitFor(() => expect(rawSocket).toBeDefined());
    const chunk = new Uint8Array(32 * 1024);
    let written = 0;
    let stuck = false;
    for (let i = 0; i < 4000 && !stuck; i += 1) {
      const ok = transport.write(chunk);
      written += chunk.length;
      if (ok) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const before = rec.drains;
      stuck = !(await rec.within(200, () => rec.drains > before));
    }
    expect(stuck).toBe(true);
    const drainsWhileStuck = rec.drains;
    rawSocket!.resume();
    await vi.waitFor(() => expect(rec.drains).toBe(drainsWhileStuck + 1), { timeout: 3000 });
    await vi.waitFor(() => expect(received).toBe(written), { timeout: 3000 });
  });
});

describe('wss: verification', () => {
  it('fails with TlsError (unknown-ca) when only an unrelated CA is trusted', async () => {
    const { url } = await server({ secure: true });
    const error = await open(url, { tls: { ca: certs.otherCa } }).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_TLS', check: 'unknown-ca' });
  });

  it('fails with hostname-mismatch for a wrong servername', async () => {
    const { url } = await server({ secure: true });
    const error = await open(url, { tls: { ca: certs.ca, servername: 'broker.example' } }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_TLS', check: 'hostname-mismatch' });
  });

  it('connects with insecureSkipVerify', async () => {
    const { url } = await server({ secure: true });
    const rec = recorder();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const transport = await openTracked(url, {
      ...rec.handlers,
      tls: { insecureSkipVerify: true },
    });
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    transport.write(Uint8Array.of(0xc0, 0x00));
    expect([...(await rec.waitForBytes(2))]).toEqual([0xc0, 0x00]);
  });
});
