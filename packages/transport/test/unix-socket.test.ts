/** `socketPath`: the broker on a Unix domain socket, for each scheme (the URL still picks it). */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { open, type Transport, type TransportError } from '../src/index.js';
import { recorder } from './helpers.js';
import { certs } from './ws-server.js';

const dir = mkdtempSync(join(tmpdir(), 'mqttkit-unix-'));
const opened: Transport[] = [];
const servers: Server[] = [];
let count = 0;

afterEach(async () => {
  for (const transport of opened.splice(0)) transport.destroy();
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function listenOn(server: Server): Promise<string> {
  const path = join(dir, `s${++count}.sock`);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

async function roundTrip(url: string, socketPath: string, tls?: { ca: string }) {
  const rec = recorder();
  const transport = await open(url, { socketPath, ...rec.handlers, ...(tls ? { tls } : {}) });
  opened.push(transport);
  transport.write(Buffer.from('over a unix socket'));
  expect((await rec.waitForBytes(18)).toString()).toBe('over a unix socket');
  transport.close();
  expect(await rec.waitForClose()).toEqual({ initiator: 'local' });
  return transport;
}

describe('socketPath', () => {
  it('mqtt: over a Unix socket', async () => {
    const path = await listenOn(createNetServer((socket) => socket.pipe(socket)));
    const transport = await roundTrip('mqtt://localhost', path);
    expect(transport.info).toMatchObject({ kind: 'tcp', endpoint: 'mqtt://localhost:1883' });
  });

  it('mqtts: the certificate is checked against the URL host', async () => {
    const server = createTlsServer({ key: certs.key, cert: certs.cert }, (s) => s.pipe(s));
    server.on('tlsClientError', () => {});
    const path = await listenOn(server);
    await roundTrip('mqtts://localhost', path, { ca: certs.ca });
    const error = await open('mqtts://broker.example', {
      socketPath: path,
      tls: { ca: certs.ca },
    }).then(
      (t) => {
        opened.push(t);
        throw new Error('open resolved');
      },
      (e: TransportError) => e,
    );
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_TLS', check: 'hostname-mismatch' });
  });

  it('ws: the upgrade runs over the Unix socket', async () => {
    const http = createHttpServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (socket) =>
      socket.on('message', (d, binary) => socket.send(d, { binary })),
    );
    const path = await listenOn(http);
    const transport = await roundTrip('ws://localhost/mqtt', path);
    expect(transport.info).toMatchObject({ kind: 'ws', wsProtocol: 'mqtt' });
    for (const client of wss.clients) client.terminate();
  });

  it('a missing socket is a TransportConnectError naming the path', async () => {
    const path = join(dir, 'missing.sock');
    await expect(open('mqtt://localhost', { socketPath: path })).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_CONNECT',
      systemCode: 'ENOENT',
      message: `Could not connect to unix:${path} (ENOENT)`,
    });
  });
});
