import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket, type WebSocket } from 'ws';
import { open, type Transport } from '../src/browser.js';
import { recorder, sleep } from './helpers.js';
import { startWsServer, type WsServerHandle } from './ws-server.js';

// Node 20 has no global WebSocket: the `ws` class implements the browser API, so the browser
// adapter runs against it unchanged.
const globals = globalThis as { WebSocket?: unknown };
const previous = globals.WebSocket;
beforeAll(() => {
  globals.WebSocket = NodeWebSocket;
});
afterAll(() => {
  globals.WebSocket = previous;
});

const opened: Transport[] = [];
const handles: WsServerHandle[] = [];
afterEach(async () => {
  for (const transport of opened.splice(0)) transport.destroy();
  await Promise.all(handles.splice(0).map((handle) => handle.close()));
});

async function server(options: Parameters<typeof startWsServer>[0] = {}) {
  const handle = await startWsServer(options);
  handles.push(handle);
  return handle;
}

describe('browser adapter over a WebSocket-API class', () => {
  it('negotiates mqtt, uses binary frames and round-trips bytes', async () => {
    let serverProtocol: string | undefined;
    const { url } = await server({
      onConnection(socket) {
        serverProtocol = socket.protocol;
        socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
      },
    });
    const rec = recorder();
    const transport = await open(`${url}/mqtt`, rec.handlers);
    opened.push(transport);
    expect(serverProtocol).toBe('mqtt');
    expect(transport.info).toMatchObject({ kind: 'ws', wsProtocol: 'mqtt' });
    transport.write(Uint8Array.of(1, 2));
    transport.write(Uint8Array.of(3));
    expect([...(await rec.waitForBytes(3))]).toEqual([1, 2, 3]);
    // One tick's writes went out as one frame, echoed as one message.
    expect(rec.chunks).toHaveLength(1);
    transport.close();
    expect(await rec.waitForClose()).toEqual({ initiator: 'local' });
  });

  it('cannot stop reading: pauseReading() returns false and messages keep coming', async () => {
    const peers: WebSocket[] = [];
    const { url } = await server({ onConnection: (socket) => peers.push(socket) });
    const rec = recorder();
    const transport = await open(url, rec.handlers);
    opened.push(transport);
    await vi.waitFor(() => expect(peers).toHaveLength(1));
    // The WebSocket API has no way to stop reading: the client falls back to bounded buffers.
    expect(transport.pauseReading()).toBe(false);
    peers[0]!.send(Uint8Array.of(9, 9));
    expect([...(await rec.waitForBytes(2))]).toEqual([9, 9]);
    transport.resumeReading();
  });

  it('reports a peer close once, and a text frame as a SocketError', async () => {
    const peers: WebSocket[] = [];
    const { url } = await server({ onConnection: (socket) => peers.push(socket) });
    const first = recorder();
    opened.push(await open(url, first.handlers));
    await vi.waitFor(() => expect(peers).toHaveLength(1));
    peers[0]!.close(1000);
    expect(await first.waitForClose()).toEqual({ initiator: 'peer' });

    const second = recorder();
    opened.push(await open(url, second.handlers));
    await vi.waitFor(() => expect(peers).toHaveLength(2));
    peers[1]!.send('text');
    expect(await second.waitForClose()).toMatchObject({
      initiator: 'peer',
      error: { code: 'MQTTKIT_ERR_SOCKET' },
    });
    await sleep(30);
    expect(first.closes).toHaveLength(1);
    expect(second.closes).toHaveLength(1);
  });

  it('rejects a failed upgrade with TransportConnectError (browsers do not expose the status)', async () => {
    const { url } = await server({ server: { path: '/mqtt' } });
    const rec = recorder();
    const error = await open(`${url}/elsewhere`, rec.handlers).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_CONNECT' });
    expect(rec.closes).toHaveLength(0);
  });

  it('destroys on abort after open, and rejects when aborted before', async () => {
    const { url } = await server();
    const controller = new AbortController();
    const rec = recorder();
    opened.push(await open(url, { ...rec.handlers, signal: controller.signal }));
    controller.abort();
    expect(rec.closes).toEqual([
      { initiator: 'local', error: expect.objectContaining({ code: 'MQTTKIT_ERR_ABORTED' }) },
    ]);
    const error = await open(url, { signal: controller.signal }).catch((e) => e);
    expect(error.code).toBe('MQTTKIT_ERR_ABORTED');
  });

  it('refuses tcp and tls URLs with UnsupportedProtocolError', async () => {
    for (const url of ['mqtt://127.0.0.1:1883', 'mqtts://127.0.0.1:8883', 'ssl://127.0.0.1']) {
      const error = await open(url).catch((e) => e);
      expect(error).toMatchObject({ code: 'MQTTKIT_ERR_UNSUPPORTED_PROTOCOL' });
    }
  });

  it('refuses with UnsupportedProtocolError when there is no global WebSocket', async () => {
    globals.WebSocket = undefined;
    try {
      const error = await open('ws://127.0.0.1:1/mqtt').catch((e) => e);
      expect(error).toMatchObject({ code: 'MQTTKIT_ERR_UNSUPPORTED_PROTOCOL' });
    } finally {
      globals.WebSocket = NodeWebSocket;
    }
  });
});

describe('browser build', () => {
  const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let outDir: string;
  beforeAll(async () => {
    // Compile with the package's own build config into a temporary folder, so the test checks
    // what `pnpm build` emits without depending on a previous build.
    outDir = await mkdtemp(join(tmpdir(), 'mqttkit-transport-build-'));
    const tsc = join(packageDir, '../../node_modules/typescript/bin/tsc');
    await promisify(execFile)(process.execPath, [
      tsc,
      '-p',
      join(packageDir, 'tsconfig.build.json'),
      '--outDir',
      outDir,
      '--declaration',
      'false',
      '--declarationMap',
      'false',
      '--sourceMap',
      'false',
    ]);
  }, 30_000);
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  /** Every module reachable from `entry` and the specifiers it imports. */
  async function importGraph(entry: string): Promise<Map<string, string[]>> {
    const graph = new Map<string, string[]>();
    const queue = [join(outDir, entry)];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (graph.has(file)) continue;
      const source = await readFile(file, 'utf8');
      const specifiers = [
        ...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g),
        ...source.matchAll(/import\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
        ...source.matchAll(/import\s*['"]([^'"]+)['"]/g),
      ].map((match) => match[1]!);
      graph.set(file, specifiers);
      for (const specifier of specifiers) {
        if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      }
    }
    return graph;
  }

  it('dist/browser.js imports no node: module, no ws, and uses no Buffer or process', async () => {
    const graph = await importGraph('browser.js');
    expect(graph.size).toBeGreaterThan(3);
    for (const [file, specifiers] of graph) {
      for (const specifier of specifiers) {
        expect(specifier.startsWith('.'), `${file} imports ${specifier}`).toBe(true);
      }
      const code = (await readFile(file, 'utf8')).replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      expect(code).not.toMatch(/\bBuffer\b|\bprocess\b|\brequire\(/);
    }
    const files = [...graph.keys()].map((file) => file.slice(outDir.length + 1)).sort();
    expect(files).not.toContain('ws.js');
    expect(files).not.toContain('tcp.js');
  });

  it('the check would catch a Node import (dist/index.js reaches node: and ws)', async () => {
    const graph = await importGraph('index.js');
    const external = [...graph.values()].flat().filter((specifier) => !specifier.startsWith('.'));
    expect(external).toContain('ws');
    expect(external.some((specifier) => specifier.startsWith('node:'))).toBe(true);
  });
});
