/**
 * Scenario 6: what a hostile broker sends, and what the client must do about it. Shared by the
 * exact single-run test (test/hostile-broker.test.ts) and the 1,000-runs-per-case leak check
 * (slow/hostile-broker-soak.test.ts).
 */
import { type CloseReason, createClient, type MqttClient } from '@mqttkit/client';
import type { Frame, HostileConnection } from '@mqttkit/testkit';

type V = 4 | 5;

const connackOk = (v: V): Buffer =>
  v === 5 ? Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00]) : Buffer.from([0x20, 0x02, 0x00, 0x00]);
const connackRefused = (v: V, code: number): Buffer =>
  v === 5 ? Buffer.from([0x20, 0x03, 0x00, code, 0x00]) : Buffer.from([0x20, 0x02, 0x00, code]);
const disconnect = (code: number): Buffer => Buffer.from([0xe0, 0x02, code, 0x00]);

/** MQTT 3.1.1 Connect Return Codes 1-5 (3.2.2.3). */
export const CONNACK_V4_REFUSALS = [1, 2, 3, 4, 5];
/** MQTT 5 CONNACK failure Reason Codes (table 3-6). */
export const CONNACK_V5_REFUSALS = [
  0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99,
  0x9a, 0x9b, 0x9c, 0x9d, 0x9f,
];
/** MQTT 5 DISCONNECT Reason Codes a server may send (table 3-10 without client-only 0x04). */
export const DISCONNECT_V5_CODES = [
  0x00, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96,
  0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
];

/** The link closes (reconnect is off, so the client ends). */
export interface ClosesExpectation {
  /** The `end` reason must match these fields. */
  close: { type: CloseReason['type']; reasonCode?: number };
  /** connect() rejected (no CONNACK accepted) rather than resolved. */
  connectRejects: boolean;
  /** The DISCONNECT reason code the client sends (MQTT 5), or null for none. */
  disconnect: number | null;
}

/** The link stays up; the client answers with these packets (type names, in order). */
export interface StaysUpExpectation {
  staysUp: true;
  answers: string[];
}

export interface HostileCase {
  name: string;
  /** A family of cases: the soak runs each family 1,000 times, cycling through its members. */
  family: string;
  v: V;
  /** What the broker does once it has read CONNECT. */
  act(c: HostileConnection): unknown; // awaited: a scripted step may be async
  expect: ClosesExpectation | StaysUpExpectation;
  /** Client options beyond the defaults of `runCase`. */
  maxPacketSize?: number;
  connectTimeout?: number;
}

/** A protocol violation after CONNACK: the client answers DISCONNECT with the code under 5.0. */
const violation = (reasonCode: number, v: V): ClosesExpectation => ({
  close: { type: 'protocol-violation', reasonCode },
  connectRejects: false,
  disconnect: v === 5 ? reasonCode : null,
});

/** A violation before CONNACK: connect() rejects as well. */
const violationBefore = (reasonCode: number, v: V): ClosesExpectation => ({
  ...violation(reasonCode, v),
  connectRejects: true,
});

export function hostileCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const v of [4, 5] as const) {
    cases.push(
      {
        name: `SUBACK before CONNACK (v${v})`,
        family: 'wrong-state',
        v,
        act: (c) =>
          c.send(v === 5 ? Buffer.from([0x90, 4, 0, 1, 0, 0]) : Buffer.from([0x90, 3, 0, 1, 0])),
        expect: violationBefore(0x82, v),
      },
      {
        name: `a second CONNACK (v${v})`,
        family: 'wrong-state',
        v,
        act: (c) => c.send(Buffer.concat([connackOk(v), connackOk(v)])),
        expect: violation(0x82, v),
      },
      {
        name: `PINGREQ from the broker (v${v})`,
        family: 'wrong-state',
        v,
        act: (c) => c.send(Buffer.concat([connackOk(v), Buffer.from([0xc0, 0x00])])),
        expect: violation(0x82, v),
      },
      {
        name: `CONNACK with a truncated body (v${v})`,
        family: 'malformed',
        v,
        act: (c) => c.send(Buffer.from([0x20, 0x01, 0x00])),
        expect: violationBefore(0x81, v),
      },
      {
        name: `reserved packet type 0 (v${v})`,
        family: 'malformed',
        v,
        act: (c) => c.send(Buffer.concat([connackOk(v), Buffer.from([0x00, 0x00])])),
        expect: violation(0x81, v),
      },
      {
        name: `PUBACK with reserved flag bits (v${v})`,
        family: 'malformed',
        v,
        act: (c) => c.send(Buffer.concat([connackOk(v), Buffer.from([0x41, 0x02, 0x00, 0x01])])),
        expect: violation(0x81, v),
      },
      {
        // Identifier 0 is refused by the codec as a Protocol Error [MQTT-2.2.1-3].
        name: `QoS 1 PUBLISH with Packet Identifier 0 (v${v})`,
        family: 'malformed',
        v,
        act: (c) =>
          c.send(
            Buffer.concat([
              connackOk(v),
              v === 5
                ? Buffer.from([0x32, 0x06, 0x00, 0x01, 0x74, 0x00, 0x00, 0x00])
                : Buffer.from([0x32, 0x05, 0x00, 0x01, 0x74, 0x00, 0x00]),
            ]),
          ),
        expect: violation(0x82, v),
      },
      {
        name: `a 1 MiB PUBLISH above our maxPacketSize (v${v})`,
        family: 'oversize',
        v,
        maxPacketSize: 1024,
        // Only the fixed header is sent: the client must refuse before buffering the body.
        act: (c) => c.send(Buffer.concat([connackOk(v), Buffer.from([0x30, 0x80, 0x80, 0x40])])),
        expect: violation(0x95, v),
      },
      {
        name: `PUBACK for a Packet Identifier never sent (v${v})`,
        family: 'unknown-id',
        v,
        act: (c) => c.send(Buffer.concat([connackOk(v), Buffer.from([0x40, 0x02, 0x12, 0x34])])),
        expect: { staysUp: true, answers: [] },
      },
      {
        name: `PUBREC for a Packet Identifier never sent (v${v})`,
        family: 'unknown-id',
        v,
        act: (c) => c.send(Buffer.concat([connackOk(v), Buffer.from([0x50, 0x02, 0x12, 0x34])])),
        // Answered with PUBREL (0x92 "Packet Identifier not found" under 5.0), link kept.
        expect: { staysUp: true, answers: ['pubrel'] },
      },
      {
        name: `SUBACK for a Packet Identifier never sent (v${v})`,
        family: 'unknown-id',
        v,
        act: (c) =>
          c.send(
            Buffer.concat([
              connackOk(v),
              v === 5
                ? Buffer.from([0x90, 4, 0x12, 0x34, 0, 0])
                : Buffer.from([0x90, 3, 0x12, 0x34, 0]),
            ]),
          ),
        expect: { staysUp: true, answers: [] },
      },
      {
        name: `a broker that never answers CONNECT (v${v})`,
        family: 'silent',
        v,
        connectTimeout: 150,
        act: () => {},
        expect: { close: { type: 'connect-timeout' }, connectRejects: true, disconnect: null },
      },
    );
  }
  for (const code of CONNACK_V4_REFUSALS) {
    cases.push({
      name: `CONNACK refused with return code ${code} (v4)`,
      family: 'connack-refused',
      v: 4,
      act: (c) => c.send(connackRefused(4, code)),
      expect: {
        close: { type: 'connack-refused', reasonCode: code },
        connectRejects: true,
        disconnect: null,
      },
    });
  }
  for (const code of CONNACK_V5_REFUSALS) {
    cases.push({
      name: `CONNACK refused with 0x${hex(code)} (v5)`,
      family: 'connack-refused',
      v: 5,
      act: (c) => c.send(connackRefused(5, code)),
      expect: {
        close: { type: 'connack-refused', reasonCode: code },
        connectRejects: true,
        disconnect: null,
      },
    });
  }
  for (const code of DISCONNECT_V5_CODES) {
    cases.push({
      name: `DISCONNECT 0x${hex(code)} from the broker (v5)`,
      family: 'broker-disconnect',
      v: 5,
      act: (c) => c.send(Buffer.concat([connackOk(5), disconnect(code)])),
      // The receiver of a DISCONNECT sends nothing back [MQTT-3.14.4-1].
      expect: {
        close: { type: 'broker-disconnect', reasonCode: code },
        connectRejects: false,
        disconnect: null,
      },
    });
  }
  cases.push({
    name: 'DISCONNECT 0x04 (client-only code) from the broker (v5)',
    family: 'broker-disconnect',
    v: 5,
    act: (c) => c.send(Buffer.concat([connackOk(5), disconnect(0x04)])),
    expect: violation(0x82, 5),
  });
  return cases;
}

const hex = (n: number): string => n.toString(16).padStart(2, '0');

export interface CaseOutcome {
  connectRejected: boolean;
  /** `code` of what connect() rejected with. */
  connectErrorCode?: string;
  /** The reason of the client's `end` event (reconnect is off). */
  endReason?: CloseReason;
  /** Packets the client sent after CONNECT, by type name. */
  sent: Frame[];
  /** The client's state once the case settled (after our own `end()` for a link that stays up). */
  state: string;
  /** For a link that stays up: the state before our `end()`. */
  stateBeforeEnd?: string;
  /** Errors emitted on `error`. */
  errors: unknown[];
}

/**
 * Runs one case against `broker` (a hostile broker whose script calls `act` of the case in
 * `pending`): connects a fresh client with reconnect off, waits for the outcome, and ends it.
 */
export async function runCase(
  url: string,
  kase: HostileCase,
  nextConnection: () => Promise<HostileConnection>,
): Promise<CaseOutcome> {
  const client: MqttClient = createClient({
    url,
    protocolVersion: kase.v,
    keepalive: 0,
    reconnect: false,
    connectTimeout: kase.connectTimeout ?? 2000,
    ...(kase.maxPacketSize ? { maxPacketSize: kase.maxPacketSize } : {}),
  });
  const errors: unknown[] = [];
  client.on('error', (e) => errors.push(e));
  const ended = new Promise<CloseReason>((resolve) => client.once('end', resolve));
  const connection = nextConnection();
  const connecting = client.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  const c = await connection;
  // The CONNECT. Against a silent broker the client may give up first (its connect timeout is
  // short, and a loaded machine can delay the CONNECT that long): the outcome is the same.
  await c.next(2000).then(
    () => undefined,
    (error: unknown) => {
      if (kase.family !== 'silent') throw error;
    },
  );
  await kase.act(c);
  const outcome: CaseOutcome = { connectRejected: false, sent: [], state: '', errors };
  if ('staysUp' in kase.expect) {
    const error = await connecting;
    if (error !== undefined) throw error;
    // Enough time for any answer (or wrongful close) to cross loopback.
    for (const _ of kase.expect.answers) await c.next(2000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    outcome.stateBeforeEnd = client.state;
    await client.end();
    await c.closed;
    outcome.sent = c.received.slice(1);
    outcome.state = client.state;
    outcome.endReason = await ended;
    return outcome;
  }
  const error = await connecting;
  outcome.connectRejected = error !== undefined;
  if (error !== undefined) outcome.connectErrorCode = (error as { code?: string }).code;
  outcome.endReason = await ended;
  await c.closed;
  outcome.state = client.state;
  outcome.sent = c.received.slice(1);
  return outcome;
}
