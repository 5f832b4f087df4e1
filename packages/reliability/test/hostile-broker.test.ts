// Scenario 6 (exact outcomes, one run per case): every hostile input ends in a typed close
// reason or a typed rejection, the right DISCONNECT reason code under MQTT 5, no crash, and
// nothing left behind. The 1,000-runs-per-family leak check is slow/hostile-soak.test.ts.
import { type HostileBroker, type HostileConnection, startHostileBroker } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileCase, hostileCases, runCase } from './hostile-cases.js';

let broker: HostileBroker;
let waiting: Array<(c: HostileConnection) => void> = [];
beforeAll(async () => {
  broker = await startHostileBroker((c) => {
    const w = waiting.shift();
    if (w) w(c);
  });
});
afterAll(async () => {
  await broker.close();
});
const nextConnection = (): Promise<HostileConnection> =>
  new Promise((resolve) => waiting.push(resolve));

const disconnectCode = (frame: { body: Buffer }): number => frame.body[0] ?? 0;

describe('scenario 6: hostile broker, exact outcome per case', () => {
  const cases = hostileCases();
  it('covers every case family of the issue', () => {
    expect(new Set(cases.map((c) => c.family))).toEqual(
      new Set([
        'wrong-state',
        'malformed',
        'oversize',
        'unknown-id',
        'silent',
        'connack-refused',
        'broker-disconnect',
      ]),
    );
    expect(cases.length).toBeGreaterThanOrEqual(70);
  });

  it.each(cases.map((c) => [c.name, c] as [string, HostileCase]))('%s', async (_name, kase) => {
    waiting = [];
    const outcome = await runCase(broker.url, kase, nextConnection);
    expect(outcome.errors).toEqual([]);
    expect(outcome.state).toBe('closed');
    expect(broker.scriptErrors).toEqual([]);
    const disconnects = outcome.sent.filter((f) => f.name === 'disconnect');
    if ('staysUp' in kase.expect) {
      const answers = outcome.sent.filter((f) => f.name !== 'disconnect').map((f) => f.name);
      expect(outcome.stateBeforeEnd).toBe('connected');
      expect(answers).toEqual(kase.expect.answers);
      if (kase.v === 5 && answers[0] === 'pubrel') {
        // 0x92 Packet Identifier not found.
        expect(outcome.sent[0]?.body[2]).toBe(0x92);
      }
      // It stayed up until our own end(): a normal DISCONNECT 0x00, reason local.
      expect(outcome.endReason?.type).not.toBe('protocol-violation');
      expect(disconnects).toHaveLength(1);
      if (kase.v === 5) expect([0, undefined]).toContain(disconnects[0]?.body[0]);
      return;
    }
    const want = kase.expect;
    expect(outcome.endReason).toMatchObject({ ...want.close, willReconnect: false });
    expect(outcome.connectRejected).toBe(want.connectRejects);
    if (want.connectRejects) expect(outcome.connectErrorCode).toBe('MQTTKIT_ERR_CONNECT_FAILED');
    if (want.disconnect === null) {
      expect(disconnects).toEqual([]);
    } else {
      expect(disconnects.map(disconnectCode)).toEqual([want.disconnect]);
    }
  });
});
