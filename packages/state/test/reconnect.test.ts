import { describe, expect, it } from 'vitest';
import {
  CLOSE_REASON_TYPES,
  type CloseCause,
  CONNACK_V4_RULES,
  CONNACK_V5_RULES,
  DISCONNECT_V5_RULES,
  isTransient,
  shouldReconnect,
} from '../src/index.js';
import {
  CONNACK_V4_PERMANENT,
  CONNACK_V5_PERMANENT,
  DISCONNECT_V5_PERMANENT,
} from '../src/reconnect.js';

const on = { enabled: true };
const refused = (reasonCode: number, protocolVersion: 4 | 5): CloseCause => ({
  type: 'connack-refused',
  initiator: 'broker',
  reasonCode,
  protocolVersion,
});
const disconnect = (reasonCode: number): CloseCause => ({
  type: 'broker-disconnect',
  initiator: 'broker',
  reasonCode,
});

describe('shouldReconnect', () => {
  const fixed: [CloseCause, boolean][] = [
    [{ type: 'local-end', initiator: 'local', force: false }, false],
    [{ type: 'local-end', initiator: 'local', force: true }, false],
    [{ type: 'aborted', initiator: 'local' }, false],
    [
      { type: 'transport-error', initiator: 'network', error: new Error('x'), retryable: true },
      true,
    ],
    [
      { type: 'transport-error', initiator: 'network', error: new Error('cert'), retryable: false },
      false,
    ],
    [{ type: 'transport-closed', initiator: 'network' }, true],
    [{ type: 'keepalive-timeout', initiator: 'network' }, true],
    [{ type: 'connect-timeout', initiator: 'network' }, true],
    [{ type: 'protocol-violation', initiator: 'local', reasonCode: 0x82, message: 'm' }, false],
  ];
  for (const [cause, expected] of fixed) {
    it(`${cause.type}${'force' in cause ? ` (force ${cause.force})` : ''}: ${expected}`, () => {
      expect(shouldReconnect(cause, on)).toBe(expected);
    });
  }

  it('covers every close reason type', () => {
    const covered = new Set([
      ...fixed.map(([c]) => c.type),
      'broker-disconnect',
      'connack-refused',
    ]);
    expect([...covered].sort()).toEqual([...CLOSE_REASON_TYPES].sort());
  });

  it('the permanent CONNACK refusals the issue names do not reconnect', () => {
    // 3.1.1: 4 bad user name or password, 5 not authorized; MQTT 5: 0x86, 0x87, 0x8A banned.
    for (const code of [4, 5]) expect(shouldReconnect(refused(code, 4), on)).toBe(false);
    for (const code of [0x86, 0x87, 0x8a])
      expect(shouldReconnect(refused(code, 5), on)).toBe(false);
  });

  it('busy or unavailable brokers are retried', () => {
    expect(shouldReconnect(refused(3, 4), on)).toBe(true);
    for (const code of [0x88, 0x89, 0x9f]) expect(shouldReconnect(refused(code, 5), on)).toBe(true);
    for (const code of [0x8b, 0x89, 0x8d, 0x9c]) {
      expect(shouldReconnect(disconnect(code), on)).toBe(true);
    }
  });

  it('the same number means different things in 3.1.1 and MQTT 5', () => {
    // 3.1.1 return code 3 is "server unavailable"; there is no MQTT 5 failure code 3.
    expect(isTransient(refused(3, 4))).toBe(true);
    expect(isTransient(refused(4, 4))).toBe(false);
    expect(isTransient(refused(0x84, 5))).toBe(false);
  });

  it('broker DISCONNECTs for client errors or operator action do not reconnect', () => {
    for (const code of [0x81, 0x82, 0x87, 0x8e, 0x93, 0x94, 0x95, 0x98]) {
      expect(shouldReconnect(disconnect(code), on)).toBe(false);
    }
  });

  it('unknown codes count as transient', () => {
    expect(shouldReconnect(disconnect(0xfe), on)).toBe(true);
    expect(shouldReconnect(refused(0xfe, 5), on)).toBe(true);
  });

  it('policy: disabled never reconnects; maxAttempts bounds the attempt number', () => {
    const cause: CloseCause = { type: 'transport-closed', initiator: 'network' };
    expect(shouldReconnect(cause, { enabled: false })).toBe(false);
    expect(shouldReconnect(cause, { enabled: true, maxAttempts: 0 }, 1)).toBe(false);
    expect(shouldReconnect(cause, { enabled: true, maxAttempts: 3 }, 3)).toBe(true);
    expect(shouldReconnect(cause, { enabled: true, maxAttempts: 3 }, 4)).toBe(false);
  });

  it('policy: retryRefusals retries permanent broker refusals, never local ends or violations', () => {
    const retry = { enabled: true, retryRefusals: true };
    for (const cause of [refused(0x86, 5), refused(0x87, 5), refused(0x8a, 5), refused(4, 4)]) {
      expect(shouldReconnect(cause, on)).toBe(false);
      expect(shouldReconnect(cause, retry)).toBe(true);
      expect(shouldReconnect(cause, { ...retry, maxAttempts: 2 }, 3)).toBe(false);
      expect(shouldReconnect(cause, { ...retry, enabled: false })).toBe(false);
    }
    expect(shouldReconnect(disconnect(0x98), retry)).toBe(true);
    const certificate: CloseCause = {
      type: 'transport-error',
      initiator: 'network',
      error: new Error('unknown CA'),
      retryable: false,
    };
    expect(shouldReconnect(certificate, on)).toBe(false);
    expect(shouldReconnect(certificate, retry)).toBe(true);
    const local: CloseCause[] = [
      { type: 'local-end', initiator: 'local', force: false },
      { type: 'aborted', initiator: 'local' },
      { type: 'protocol-violation', initiator: 'local', reasonCode: 0x95, message: 'too large' },
    ];
    for (const cause of local) expect(shouldReconnect(cause, retry)).toBe(false);
  });
});

describe('reason code tables', () => {
  it('list every MQTT 5 CONNACK failure code of the spec once', () => {
    // MQTT 5.0, Table 3-1 (CONNACK reason codes >= 0x80).
    const spec = [
      0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97,
      0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f,
    ];
    expect(CONNACK_V5_RULES.map((r) => r.code)).toEqual(spec);
  });

  it('list every MQTT 5 DISCONNECT reason code a server may send', () => {
    // MQTT 5.0, Table 3-10, rows marked "Server" (0x04 is client only).
    const spec = [
      0x00, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95,
      0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
    ];
    expect(DISCONNECT_V5_RULES.map((r) => r.code)).toEqual(spec);
  });

  it('list the 3.1.1 return codes 1-5', () => {
    expect(CONNACK_V4_RULES.map((r) => r.code)).toEqual([1, 2, 3, 4, 5]);
  });

  it('say what isTransient decides for each code, and name every permanent code', () => {
    const tables = [
      {
        rules: CONNACK_V5_RULES,
        permanent: CONNACK_V5_PERMANENT,
        cause: (c: number) => refused(c, 5),
      },
      {
        rules: CONNACK_V4_RULES,
        permanent: CONNACK_V4_PERMANENT,
        cause: (c: number) => refused(c, 4),
      },
      { rules: DISCONNECT_V5_RULES, permanent: DISCONNECT_V5_PERMANENT, cause: disconnect },
    ];
    for (const { rules, permanent, cause } of tables) {
      for (const rule of rules)
        expect(isTransient(cause(rule.code)), rule.name).toBe(rule.reconnect);
      const named = rules.filter((r) => !r.reconnect).map((r) => r.code);
      expect(named).toEqual(permanent);
    }
  });
});
