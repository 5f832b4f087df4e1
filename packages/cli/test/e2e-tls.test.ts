/** TLS flags against aedes behind a TLS listener with certificates made in the test run. */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { type AedesHandle, createTestCertificates, startAedes } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli, subscribed, uniqueTopic } from './helpers.js';

let broker: AedesHandle;
let server: Server;
let dir: string;
let at: string[];
let ca: string;
let otherCa: string;

beforeAll(async () => {
  assertBuilt();
  broker = await startAedes();
  const certs = createTestCertificates();
  server = createServer({ cert: certs.cert, key: certs.key }, (socket) =>
    broker.broker.handle(socket),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  at = ['-h', '127.0.0.1', '-p', String((server.address() as AddressInfo).port)];
  dir = await mkdtemp(join(tmpdir(), 'mqttkit-cli-tls-'));
  ca = join(dir, 'ca.pem');
  otherCa = join(dir, 'other-ca.pem');
  await writeFile(ca, certs.ca);
  await writeFile(otherCa, certs.otherCa);
});
afterAll(async () => {
  await broker?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('TLS', () => {
  it('--cafile: verified TLS, pub -> sub', async () => {
    const topic = uniqueTopic('tls');
    const sub = await subscribed(['sub', ...at, '--cafile', ca, '-t', topic, '-C', '1', '-q', '1']);
    const pub = await runCli([
      'pub',
      '-L',
      `mqtts://${at[1]}:${at[3]}/${topic}`,
      '--cafile',
      ca,
      '-m',
      'secret',
      '-q',
      '1',
    ]);
    expect(pub).toMatchObject({ code: 0, stderr: '' });
    expect((await sub.done).stdout).toBe('secret\n');
  });

  it('a certificate from another CA: exit 1', async () => {
    const result = await runCli(['pub', ...at, '--cafile', otherCa, '-t', 'x', '-m', 'y']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Connection to mqtts:\/\/127\.0\.0\.1:\d+ failed: .*not signed by a trusted CA/,
    );
  });

  it('--insecure connects without verification and says so loudly', async () => {
    const result = await runCli(['pub', ...at, '--insecure', '-t', 'x', '-m', 'y']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /WARNING: --insecure: the broker certificate and host name are NOT verified/,
    );
  });

  it('--insecure warns once: the CLI line, not also a Node process warning', async () => {
    const result = await runCli(['pub', ...at, '--insecure', '-t', 'x', '-m', 'y']);
    expect(result.code).toBe(0);
    const warnings = result.stderr.split('\n').filter((l) => /warning/i.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^mqttkit: WARNING: --insecure:/);
    expect(result.stderr).not.toMatch(/\(node:\d+\)|MQTTKIT_INSECURE_TLS/);
  });

  it('an unreadable --cafile: exit 1 naming the file', async () => {
    const result = await runCli([
      'pub',
      ...at,
      '--cafile',
      join(dir, 'missing.pem'),
      '-t',
      'x',
      '-m',
      'y',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--cafile .*missing\.pem: cannot read it/);
  });
});
