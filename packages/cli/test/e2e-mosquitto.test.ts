/**
 * The built binary against a real mosquitto: MQTT 5, broker refusals with reason codes (exit 1),
 * and the bench and watch commands.
 */
import {
  hasMosquitto,
  hasMosquittoDynsec,
  type MosquittoHandle,
  startMosquitto,
  startMosquittoWithAcl,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli, subscribed, uniqueTopic } from './helpers.js';

describe.skipIf(!hasMosquitto)(
  hasMosquitto ? 'mosquitto' : 'mosquitto (SKIPPED: not installed)',
  // Concurrent: each test has its own topics (the restart test its own broker).
  { concurrent: true },
  () => {
    let broker: MosquittoHandle;
    let at: string[];
    beforeAll(async () => {
      assertBuilt();
      broker = await startMosquitto();
      at = ['-h', '127.0.0.1', '-p', String(broker.port)];
    });
    afterAll(async () => {
      await broker?.close();
    });

    it('pub -> sub over MQTT 5 with -D connect and subscribe properties', async () => {
      const topic = uniqueTopic('v5');
      const sub = await subscribed([
        'sub',
        ...at,
        '-V',
        'mqttv5',
        '-t',
        topic,
        '-C',
        '1',
        '-q',
        '2',
        '-F',
        '%q %P %p',
        '-D',
        'connect',
        'session-expiry-interval',
        '30',
        '-D',
        'subscribe',
        'user-property',
        'why',
        'test',
      ]);
      const pub = await runCli([
        'pub',
        ...at,
        '-V',
        '5',
        '-t',
        topic,
        '-q',
        '2',
        '-m',
        'five',
        '-D',
        'publish',
        'user-property',
        'k',
        'v',
      ]);
      expect(pub.code).toBe(0);
      expect((await sub.done).stdout).toBe('2 k:v five\n');
    });

    it('bench prints a result table and exits 0 when every QoS 1 message arrived', async () => {
      const result = await runCli(
        ['bench', ...at, '-C', '300', '-S', '128', '-q', '1', '-V', '5'],
        { timeoutMs: 20_000 },
      );
      expect(result.code).toBe(0);
      const rows = Object.fromEntries(
        result.stdout
          .trim()
          .split('\n')
          .map((l) => {
            const [key, value] = l.split(/\s{2,}/);
            return [key, value];
          }),
      );
      expect(rows).toMatchObject({
        qos: '1',
        'payload bytes': '128',
        sent: '300',
        received: '300',
      });
      expect(Number(rows['messages/s'])).toBeGreaterThan(0);
      expect(Number(rows['MB/s'])).toBeGreaterThan(0);
      const p50 = Number(rows['latency p50 ms']);
      const p99 = Number(rows['latency p99 ms']);
      expect(p50).toBeGreaterThan(0);
      expect(p99).toBeGreaterThanOrEqual(p50);
      expect(Number(rows['latency max ms'])).toBeGreaterThanOrEqual(p99);
      // Not a terminal: no progress lines.
      expect(result.stderr).toBe('');
    });

    it('watch prints state changes and pings with their RTT, then stops at -W with exit 0', async () => {
      const result = await runCli(['watch', ...at, '-k', '1', '-W', '2.6'], { timeoutMs: 10_000 });
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} state idle -> connecting$/);
      expect(result.stdout).toMatch(/state awaitingConnack -> connected/);
      expect(result.stdout).toMatch(
        /connected to mqtt:\/\/127\.0\.0\.1:\d+ sessionPresent=false keepalive=1s/,
      );
      expect(result.stdout).toMatch(/ping sent \(#1\)/);
      expect(result.stdout).toMatch(/pong received \(#1\) rtt=\d+\.\dms/);
      expect(result.stdout).toMatch(/state connected -> disconnecting/);
    });

    // Regression: the client's reconnect timer once let the process exit in reconnectWait
    // (packages/client/test/issue-reconnect-wait-holds-process.test.ts).
    it('sub reconnects and resubscribes after the broker restarts, as mosquitto_sub', async () => {
      // Its own broker: the other tests of this file run concurrently on the shared one.
      const own = await startMosquitto();
      const here = ['-h', '127.0.0.1', '-p', String(own.port)];
      try {
        const topic = uniqueTopic('restart');
        const sub = await subscribed(['sub', ...here, '-t', topic, '-q', '1', '-C', '2'], 15_000);
        expect((await runCli(['pub', ...here, '-t', topic, '-m', 'before', '-q', '1'])).code).toBe(
          0,
        );
        await sub.waitFor(/^before$/m, 'stdout');
        await own.restart();
        await sub.waitFor(/connection lost \(.*\); reconnecting/);
        await sub.waitFor(/received SUBACK[\s\S]*received SUBACK/);
        expect((await runCli(['pub', ...here, '-t', topic, '-m', 'after', '-q', '1'])).code).toBe(
          0,
        );
        expect(await sub.done).toMatchObject({ code: 0, stdout: 'before\nafter\n' });
      } finally {
        await own.close();
      }
    });

    it('sub without -W outlives a broker that is down for seconds (README "Broker restarts")', async () => {
      const own = await startMosquitto();
      const here = ['-h', '127.0.0.1', '-p', String(own.port)];
      try {
        const topic = uniqueTopic('down');
        const sub = await subscribed(['sub', ...here, '-t', topic, '-q', '1', '-C', '2'], 25_000);
        expect((await runCli(['pub', ...here, '-t', topic, '-m', 'before', '-q', '1'])).code).toBe(
          0,
        );
        await sub.waitFor(/^before$/m, 'stdout');
        await own.stop();
        await sub.waitFor(/connection lost \(.*\); reconnecting/);
        // Long enough for several refused attempts: only the reconnect timer keeps it running.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        expect(sub.proc.exitCode).toBe(null);
        await own.start();
        await sub.waitFor(/received SUBACK[\s\S]*received SUBACK/, 'stderr', 15_000);
        expect((await runCli(['pub', ...here, '-t', topic, '-m', 'after', '-q', '1'])).code).toBe(
          0,
        );
        expect(await sub.done).toMatchObject({ code: 0, stdout: 'before\nafter\n' });
      } finally {
        await own.close();
      }
    });

    it('watch shows a refused connection and the retries', async () => {
      const result = await runCli(['watch', '-h', '127.0.0.1', '-p', '1', '-W', '1.2'], {
        timeoutMs: 10_000,
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/state connecting -> reconnectWait \(.*ECONNREFUSED/);
    });
  },
);

describe.skipIf(!hasMosquittoDynsec)(
  hasMosquittoDynsec
    ? 'mosquitto refusals'
    : 'mosquitto refusals (SKIPPED: no dynamic-security plugin)',
  () => {
    let broker: MosquittoHandle;
    let at: string[];
    beforeAll(async () => {
      assertBuilt();
      broker = await startMosquittoWithAcl({
        users: [
          {
            username: 'limited',
            password: 'pw-limited',
            allow: { publish: ['open/#'], subscribe: ['open/#'] },
          },
        ],
      });
      at = ['-h', '127.0.0.1', '-p', String(broker.port)];
    });
    afterAll(async () => {
      await broker?.close();
    });

    it('a publish refused with a reason code: exit 1 and the code', async () => {
      const result = await runCli([
        'pub',
        ...at,
        '-V',
        '5',
        '-u',
        'limited',
        '-P',
        'pw-limited',
        '-t',
        'closed/x',
        '-m',
        'no',
        '-q',
        '1',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Publish to closed\/x refused by the broker: reason code 0x87/);
      const allowed = await runCli([
        'pub',
        ...at,
        '-V',
        '5',
        '-u',
        'limited',
        '-P',
        'pw-limited',
        '-t',
        'open/x',
        '-m',
        'yes',
        '-q',
        '1',
      ]);
      expect(allowed.code).toBe(0);
    });

    it('bad credentials: exit 1 with the CONNACK refusal, the password not printed', async () => {
      const result = await runCli([
        'sub',
        ...at,
        '-V',
        '5',
        '-u',
        'limited',
        '-P',
        'wrong-pw',
        '-t',
        'open/x',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /Connection to mqtt:\/\/127\.0\.0\.1:\d+ failed: .*(0x86|0x87)/,
      );
      expect(result.stderr).not.toContain('wrong-pw');
    });

    it('a refused subscription: exit 1 with the code', async () => {
      const result = await runCli([
        'sub',
        ...at,
        '-V',
        '5',
        '-u',
        'limited',
        '-P',
        'pw-limited',
        '-t',
        'closed/#',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/subscription to closed\/# refused: reason code 0x87/);
    });
  },
);
