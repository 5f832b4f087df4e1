import { createServer as createNetServer, type Server } from 'node:net';
import { createServer as createTlsServer, type TLSSocket, type TlsOptions } from 'node:tls';
import { createSelfSignedCertificate, createTestCertificates } from '@mqttkit/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type OpenOptions,
  open,
  type Transport,
  type TlsOptions as TransportTlsOptions,
} from '../src/index.js';
import { closeServer, listen, recorder } from './helpers.js';

const certs = createTestCertificates();
const opened: Transport[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const transport of opened.splice(0)) transport.destroy();
  await Promise.all(servers.splice(0).map(closeServer));
});

/** A TLS echo server; records the SNI and ALPN each client asked for. */
async function tlsEcho(options: TlsOptions = {}) {
  const seen: Array<{ servername: string | false; alpn: string | false | null }> = [];
  const server = createTlsServer({ key: certs.key, cert: certs.cert, ...options }, (socket) => {
    const tlsSocket = socket as TLSSocket & { servername: string | false };
    seen.push({ servername: tlsSocket.servername, alpn: tlsSocket.alpnProtocol });
    socket.pipe(socket);
  });
  // A failed handshake emits tlsClientError on the server; the client side is what we assert.
  server.on('tlsClientError', () => {});
  servers.push(server);
  return { port: await listen(server), seen };
}

async function openTls(url: string, options: OpenOptions) {
  const transport = await open(url, options);
  opened.push(transport);
  return transport;
}

describe('tls: verification on by default', () => {
  it('connects when the server certificate chains to the given CA, and round-trips bytes', async () => {
    const { port, seen } = await tlsEcho();
    const rec = recorder();
    const transport = await openTls(`mqtts://127.0.0.1:${port}`, {
      ...rec.handlers,
      tls: { ca: certs.ca },
    });
    expect(transport.info.kind).toBe('tls');
    transport.write(Buffer.from('secret bytes'));
    expect((await rec.waitForBytes(12)).toString()).toBe('secret bytes');
    // An IP literal host sends no SNI (RFC 6066 section 3).
    await vi.waitFor(() => expect(seen[0]?.servername).toBe(false));
    transport.close();
    expect(await rec.waitForClose()).toEqual({ initiator: 'local' });
  });

  it('accepts the CA as bytes, and `ssl:`/`tls:` schemes', async () => {
    const { port } = await tlsEcho();
    for (const scheme of ['ssl', 'tls']) {
      const transport = await openTls(`${scheme}://127.0.0.1:${port}`, {
        tls: { ca: new TextEncoder().encode(certs.ca) },
      });
      expect(transport.info.endpoint).toBe(`${scheme}://127.0.0.1:${port}`);
    }
  });

  it('sends the URL host name as SNI and checks the certificate against it', async () => {
    const { port, seen } = await tlsEcho();
    // `localhost` may resolve to ::1 first; the connect falls back to 127.0.0.1 (happy eyeballs).
    await openTls(`mqtts://localhost:${port}`, { tls: { ca: certs.ca } });
    // The server may see the finished handshake after the client does (TLS 1.3).
    await vi.waitFor(() => expect(seen[0]?.servername).toBe('localhost'));
  });

  it('fails with TlsError (unknown-ca) when only an unrelated CA is trusted', async () => {
    const { port } = await tlsEcho();
    const rec = recorder();
    const error = await open(`mqtts://127.0.0.1:${port}`, {
      ...rec.handlers,
      tls: { ca: certs.otherCa },
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_TLS', name: 'TlsError', check: 'unknown-ca' });
    // A certificate failing verification will not pass on a retry: reconnect policies read this.
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('not signed by a trusted CA');
    expect(error.cause.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(rec.closes).toHaveLength(0);
  });

  it('fails with TlsError (self-signed) for a certificate that signs itself', async () => {
    const selfSigned = createSelfSignedCertificate();
    const { port } = await tlsEcho({ key: selfSigned.key, cert: selfSigned.cert });
    const error = await open(`mqtts://127.0.0.1:${port}`).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_TLS', check: 'self-signed' });
    expect(error.message).toContain('self-signed');
    expect(error.cause.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('fails against the system CA store (the test CA is not in it)', async () => {
    const { port } = await tlsEcho();
    const error = await open(`mqtts://127.0.0.1:${port}`).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_TLS', check: 'unknown-ca' });
  });

  it('fails with TlsError (hostname-mismatch) when servername is not in the certificate', async () => {
    const { port } = await tlsEcho();
    const error = await open(`mqtts://127.0.0.1:${port}`, {
      tls: { ca: certs.ca, servername: 'broker.example' },
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_TLS', check: 'hostname-mismatch' });
    expect(error.message).toContain('does not match the host name');
  });

  it('fails with hostname-mismatch when the IP is not in the certificate', async () => {
    const onlyName = createTestCertificates({ hosts: ['localhost'] });
    const { port } = await tlsEcho({ key: onlyName.key, cert: onlyName.cert });
    const error = await open(`mqtts://127.0.0.1:${port}`, { tls: { ca: onlyName.ca } }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_TLS', check: 'hostname-mismatch' });
  });

  it('ignores a smuggled rejectUnauthorized: false (only insecureSkipVerify turns checks off)', async () => {
    const { port } = await tlsEcho();
    const tls = { ca: certs.otherCa, rejectUnauthorized: false };
    const error = await open(`mqtts://127.0.0.1:${port}`, { tls }).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_TLS', check: 'unknown-ca' });
  });

  it('has no rejectUnauthorized option in its types (typecheck enforces this line)', () => {
    const tls: TransportTlsOptions = {
      ca: certs.ca,
      // @ts-expect-error verification can only be turned off with insecureSkipVerify
      rejectUnauthorized: false,
    };
    expect(tls.insecureSkipVerify).toBeUndefined();
  });

  it('connects with insecureSkipVerify despite an untrusted certificate and wrong name', async () => {
    const { port } = await tlsEcho();
    const rec = recorder();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const transport = await openTls(`mqtts://127.0.0.1:${port}`, {
      ...rec.handlers,
      tls: { ca: certs.otherCa, servername: 'broker.example', insecureSkipVerify: true },
    });
    // Loud: one process warning says certificates are not checked.
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not verified'), {
      code: 'MQTTKIT_INSECURE_TLS',
    });
    warn.mockRestore();
    transport.write(Uint8Array.of(0xc0, 0x00));
    expect([...(await rec.waitForBytes(2))]).toEqual([0xc0, 0x00]);
  });
});

describe('tls: options and failures', () => {
  it('passes ALPN protocols through and reports the one selected', async () => {
    const { port, seen } = await tlsEcho({ ALPNProtocols: ['x-amzn-mqtt-ca', 'mqtt'] });
    const transport = await openTls(`mqtts://127.0.0.1:${port}`, {
      tls: { ca: certs.ca, alpnProtocols: ['mqtt'] },
    });
    expect(transport.info.alpnProtocol).toBe('mqtt');
    await vi.waitFor(() => expect(seen[0]?.alpn).toBe('mqtt'));
  });

  it('times out when the server accepts TCP but never answers the TLS handshake', async () => {
    const silent = createNetServer(() => {});
    servers.push(silent);
    const port = await listen(silent);
    const rec = recorder();
    const started = Date.now();
    const error = await open(`mqtts://127.0.0.1:${port}`, {
      ...rec.handlers,
      connectTimeoutMs: 150,
      tls: { ca: certs.ca },
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_CONNECT_TIMEOUT', timeoutMs: 150 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(rec.closes).toHaveLength(0);
  });

  it('aborts a pending TLS handshake with AbortError, closing the socket', async () => {
    let serverSawClose = false;
    const silent = createNetServer((socket) => {
      // Reading (resume) is what lets the server notice the client's FIN.
      socket.resume();
      socket.on('close', () => {
        serverSawClose = true;
      });
    });
    servers.push(silent);
    const port = await listen(silent);
    const controller = new AbortController();
    const pending = open(`mqtts://127.0.0.1:${port}`, {
      signal: controller.signal,
      tls: { ca: certs.ca },
    });
    setTimeout(() => controller.abort(), 50);
    expect(await pending.catch((e) => e)).toMatchObject({ code: 'MQTTKIT_ERR_ABORTED' });
    await vi.waitFor(() => expect(serverSawClose).toBe(true));
  });

  it('rejects with TlsError (handshake) when the server is not speaking TLS', async () => {
    const plain = createNetServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    servers.push(plain);
    const port = await listen(plain);
    const error = await open(`mqtts://127.0.0.1:${port}`, { tls: { ca: certs.ca } }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_TLS', check: 'handshake' });
  });

  it('reports a peer close after the handshake once, as peer', async () => {
    const server = createTlsServer({ key: certs.key, cert: certs.cert }, (socket) =>
      setTimeout(() => socket.end(), 10),
    );
    servers.push(server);
    const port = await listen(server);
    const rec = recorder();
    await openTls(`mqtts://127.0.0.1:${port}`, { ...rec.handlers, tls: { ca: certs.ca } });
    expect(await rec.waitForClose()).toEqual({ initiator: 'peer' });
  });
});
