// Credentials in the broker URL: MQTT.js sends those of `mqtt://user:pass@host` as CONNECT's user
// name and password, and we connected anonymously. Tested against mosquitto with a password file
// (it refuses a wrong password as "not authorized": 0x87 under 5.0, return code 5 under 3.1.1).
// Also the close log a newcomer reads: the URL without credentials, the error code and message,
// the reason code, and never the password, checked on the output of a real pino logger.
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectError, createClient, type Logger, type MqttClient } from '../src/index.js';
import { credentialsOf, redactUrls, withoutCredentials } from '../src/url-credentials.js';

const USER = 'new-user';
// Characters that must be percent-encoded in user info, and one outside ASCII.
const PASSWORD = 'p@ss:w/rd%?#é';
const enc = encodeURIComponent;

describe('URL user info', () => {
  it('is percent-decoded; the user name alone, or none, is allowed', () => {
    expect(credentialsOf(`mqtt://${enc(USER)}:${enc(PASSWORD)}@h:1883`)).toEqual({
      username: USER,
      password: PASSWORD,
    });
    expect(credentialsOf('mqtt://only@h')).toEqual({ username: 'only' });
    expect(credentialsOf('mqtt://:pw@h')).toEqual({ password: 'pw' });
    expect(credentialsOf('mqtt://h:1883/a@b')).toBeUndefined();
    expect(credentialsOf('ws://h/mqtt')).toBeUndefined();
  });

  it('is removed from the URL the transport opens and from text quoted in logs', () => {
    expect(withoutCredentials('wss://u:p%40ss@h:443/mqtt?x=1')).toBe('wss://h:443/mqtt?x=1');
    expect(withoutCredentials('mqtt://h/a@b')).toBe('mqtt://h/a@b');
    expect(redactUrls('could not open mqtt://u:s3cret@h:1 nor ws://v:w@k/p')).toBe(
      'could not open mqtt://h:1 nor ws://k/p',
    );
  });

  it('a malformed percent escape is an InvalidOptionError that does not quote the URL', () => {
    expect(() => createClient({ url: 'mqtt://u:%zz-secret@h' })).toThrow(
      expect.objectContaining({ name: 'InvalidOptionError', option: 'url' }),
    );
    try {
      createClient({ url: 'mqtt://u:%zz-secret@h' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('secret');
    }
  });
});

function pinoLines(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

describe.skipIf(!hasMosquitto)(
  'credentials in the URL, against mosquitto with a password file',
  () => {
    let broker: MosquittoHandle;
    let base: string;
    const clients: MqttClient[] = [];
    const track = (c: MqttClient): MqttClient => {
      clients.push(c);
      return c;
    };
    const urlWith = (user: string, password: string): string =>
      `mqtt://${enc(user)}:${enc(password)}@127.0.0.1:${broker.port}`;

    beforeAll(async () => {
      broker = await startMosquitto({
        allowAnonymous: false,
        beforeStart(dir) {
          const file = join(dir, 'passwords');
          execFileSync('mosquitto_passwd', ['-c', '-b', file, USER, PASSWORD]);
          return [`password_file ${file}`];
        },
      });
      base = `mqtt://127.0.0.1:${broker.port}`;
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
    });
    afterAll(async () => {
      await broker?.close();
    });

    for (const protocolVersion of [4, 5] as const) {
      it(`v${protocolVersion}: the URL's user name and password are sent (the broker accepts them)`, async () => {
        const c = track(
          createClient({ url: urlWith(USER, PASSWORD), protocolVersion, reconnect: false }),
        );
        await expect(c.connect()).resolves.toMatchObject({ attempt: 0 });
      });

      it(`v${protocolVersion}: a wrong password in the URL is refused by the broker`, async () => {
        const c = track(
          createClient({ url: urlWith(USER, 'wrong'), protocolVersion, reconnect: false }),
        );
        const error = (await c.connect().catch((e: unknown) => e)) as ConnectError;
        expect(error.reason).toMatchObject({
          type: 'connack-refused',
          reasonCode: protocolVersion === 5 ? 0x87 : 5,
        });
      });
    }

    it('explicit username and password options win over the URL', async () => {
      const accepted = track(
        createClient({
          url: urlWith('someone', 'wrong'),
          username: USER,
          password: PASSWORD,
          reconnect: false,
        }),
      );
      await expect(accepted.connect()).resolves.toBeDefined();
      const refused = track(
        createClient({ url: urlWith(USER, PASSWORD), password: 'wrong', reconnect: false }),
      );
      await expect(refused.connect()).rejects.toMatchObject({
        reason: { type: 'connack-refused', reasonCode: 0x87 },
      });
    });

    it("beforeConnect's username and password win per attempt; its URL's credentials are used", async () => {
      const fromHook = track(
        createClient({
          url: urlWith(USER, 'wrong'),
          reconnect: false,
          beforeConnect: () => ({ password: PASSWORD }),
        }),
      );
      await expect(fromHook.connect()).resolves.toBeDefined();
      const hookUrl = track(
        createClient({
          url: base,
          reconnect: false,
          beforeConnect: () => ({ url: urlWith(USER, PASSWORD) }),
        }),
      );
      await expect(hookUrl.connect()).resolves.toBeDefined();
    });

    it('each server of `servers` carries its own credentials', async () => {
      const c = track(
        createClient({
          servers: [urlWith(USER, 'wrong'), { url: urlWith(USER, PASSWORD) }],
          reconnect: { initialDelay: 10, jitter: 'none', retryRefusals: true },
        }),
      );
      await expect(c.connect()).resolves.toMatchObject({ serverIndex: 1, attempt: 1 });
    });

    it('close logs name the URL without credentials, the reason code, and never the password', async () => {
      const { logger, lines } = pinoLines();
      const refused = track(
        createClient({ url: urlWith(USER, `${PASSWORD}-not`), logger, reconnect: false }),
      );
      await refused.connect().catch(() => undefined);
      const accepted = track(createClient({ url: urlWith(USER, PASSWORD), logger }));
      await accepted.connect();
      await accepted.end();
      const closes = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'connection closed');
      expect(closes[0]).toMatchObject({ reason: 'connack-refused', reasonCode: 0x87, url: base });
      const output = lines.join('\n');
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain(enc(PASSWORD));
      expect(output).not.toContain(USER);
    });
  },
);

describe('the close log of a failed connect', () => {
  it('carries the URL without credentials, the error code and message, and no password', async () => {
    const { logger, lines } = pinoLines();
    // A port nothing listens on: 1 is reserved (tcpmux) and closed on test machines.
    const c = createClient({
      url: `mqtt://${USER}:${enc(PASSWORD)}@127.0.0.1:1`,
      logger,
      reconnect: false,
    });
    await c.connect().catch(() => undefined);
    const close = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'connection closed');
    expect(close).toMatchObject({
      reason: 'transport-error',
      url: 'mqtt://127.0.0.1:1',
      code: 'MQTTKIT_ERR_CONNECT',
      causeCode: 'ECONNREFUSED',
      willReconnect: false,
    });
    expect(close.error).toEqual(expect.stringContaining('127.0.0.1:1'));
    const output = lines.join('\n');
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(enc(PASSWORD));
  });
});

// A guard rather than a change: the transport already builds its WebSocket target from host, port
// and path; the client now also hands it the URL without user info.
describe('the transport never gets the credentials', () => {
  it('a ws: URL with user info upgrades without an Authorization header or the user info', async () => {
    const seen: Array<{ url: string | undefined; headers: IncomingHttpHeaders }> = [];
    const server = createServer();
    server.on('upgrade', (request, socket) => {
      seen.push({ url: request.url, headers: request.headers });
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const c = createClient({
        url: `ws://${USER}:${enc(PASSWORD)}@127.0.0.1:${port}/mqtt`,
        reconnect: false,
      });
      await c.connect().catch(() => undefined);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.url).toBe('/mqtt');
      expect(seen[0]?.headers.authorization).toBeUndefined();
      expect(JSON.stringify(seen)).not.toContain(USER);
    } finally {
      server.close();
    }
  });
});
