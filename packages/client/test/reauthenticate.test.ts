import type { Packet } from '@mqttkit/codec';
import { hasMosquitto, startMosquitto } from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type MqttClient } from '../src/index.js';
import { type ScriptedBroker, startScriptedBroker } from './scripted-broker.js';

let broker: ScriptedBroker | undefined;
let client: MqttClient | undefined;
afterEach(async () => {
  await client?.end({ force: true });
  await broker?.close();
  broker = undefined;
  client = undefined;
});

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined): string => new TextDecoder().decode(b ?? new Uint8Array());

interface ReauthBroker {
  /** Holds the broker's challenge until `release()` (to publish during the exchange). */
  hold?: Promise<void>;
  /** Never answer AUTH 0x19 (for the abort test). */
  silent?: boolean;
}

/**
 * A broker for method "demo": CONNECT is accepted at once (CONNACK carrying the method); AUTH
 * 0x19 gets a challenge "nonce-N"; the answer "signed(nonce-N)" gets AUTH 0x00, anything else
 * DISCONNECT 0x87 (Not authorized) [MQTT-4.12.1-2]. PUBLISH QoS 1 is acknowledged throughout.
 */
function demoReauth(script: ReauthBroker) {
  let round = 0;
  return (packet: Packet, send: (p: Packet) => void): boolean => {
    if (packet.cmd === 'connect') {
      send({
        cmd: 'connack',
        sessionPresent: false,
        reasonCode: 0,
        properties: { authenticationMethod: 'demo' },
      });
      return true;
    }
    if (packet.cmd === 'publish' && packet.qos === 1) {
      send({ cmd: 'puback', packetId: packet.packetId as number, reasonCode: 0 });
      return true;
    }
    if (packet.cmd !== 'auth') return false;
    if (packet.reasonCode === 0x19) {
      if (script.silent) return true;
      round += 1;
      const challenge: Packet = {
        cmd: 'auth',
        reasonCode: 0x18,
        properties: { authenticationMethod: 'demo', authenticationData: bytes(`nonce-${round}`) },
      };
      void (script.hold ?? Promise.resolve()).then(() => send(challenge));
      return true;
    }
    if (str(packet.properties?.authenticationData) === `signed(nonce-${round})`) {
      send({
        cmd: 'auth',
        reasonCode: 0x00,
        properties: { authenticationMethod: 'demo', reasonString: `welcome back ${round}` },
      });
    } else {
      send({ cmd: 'disconnect', reasonCode: 0x87, properties: { reasonString: 'bad answer' } });
    }
    return true;
  };
}

function demoClient(url: string, answer: (nonce: string) => string): MqttClient {
  return createClient({
    url,
    protocolVersion: 5,
    reconnect: false,
    auth: { method: 'demo', onChallenge: ({ data }) => bytes(answer(str(data))) },
  });
}

describe('MQTT 5 re-authentication (AUTH 0x19, spec 4.12.1)', () => {
  it('runs the challenge loop through auth.onChallenge and resolves on AUTH 0x00', async () => {
    broker = await startScriptedBroker(5, undefined, demoReauth({}));
    const challenges: string[] = [];
    client = demoClient(broker.url, (nonce) => {
      challenges.push(nonce);
      return `signed(${nonce})`;
    });
    await client.connect();
    const first = await client.reauthenticate({ data: bytes('again') });
    expect(first).toEqual({ reasonString: 'welcome back 1' });
    await expect(client.reauthenticate()).resolves.toEqual({ reasonString: 'welcome back 2' });
    expect(challenges).toEqual(['nonce-1', 'nonce-2']);
    const auths = broker.received.filter((p) => p.cmd === 'auth');
    // [MQTT-4.12.1-1]: the same method as CONNECT, on every AUTH of the exchange.
    expect(
      auths.map((p) => p.cmd === 'auth' && [p.reasonCode, p.properties?.authenticationMethod]),
    ).toEqual([
      [0x19, 'demo'],
      [0x18, 'demo'],
      [0x19, 'demo'],
      [0x18, 'demo'],
    ]);
    expect(auths[0]?.cmd === 'auth' && str(auths[0].properties?.authenticationData)).toBe('again');
    expect(client.state).toBe('connected');
  });

  it('publishes keep flowing while the exchange is open', async () => {
    let release: () => void = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    broker = await startScriptedBroker(5, undefined, demoReauth({ hold }));
    client = demoClient(broker.url, (nonce) => `signed(${nonce})`);
    await client.connect();
    const reauth = client.reauthenticate();
    // The broker holds its challenge: the exchange is open while these complete.
    const results = await Promise.all(
      [1, 2, 3].map((i) => client?.publish('t', `during ${i}`, { qos: 1 })),
    );
    expect(results.map((r) => r?.reasonCode)).toEqual([0, 0, 0]);
    const order = broker.received.map((p) => p.cmd);
    expect(order.indexOf('auth')).toBeLessThan(order.lastIndexOf('publish'));
    release();
    await expect(reauth).resolves.toEqual({ reasonString: 'welcome back 1' });
  });

  it("the broker's refusal is its DISCONNECT: a typed close, and the promise rejects with it", async () => {
    broker = await startScriptedBroker(5, undefined, demoReauth({}));
    client = demoClient(broker.url, () => 'wrong');
    await client.connect();
    const closed = new Promise((resolve) => client?.once('close', resolve));
    await expect(client.reauthenticate()).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_CONNECTION_CLOSED',
      reason: { type: 'broker-disconnect', reasonCode: 0x87, reasonString: 'bad answer' },
    });
    expect(await closed).toMatchObject({ type: 'broker-disconnect', reasonCode: 0x87 });
  });

  it('aborting fails the exchange on our side: rejects, and the link authenticates anew', async () => {
    broker = await startScriptedBroker(5, undefined, demoReauth({ silent: true }));
    client = createClient({
      url: broker.url,
      protocolVersion: 5,
      reconnect: false,
      auth: { method: 'demo', onChallenge: () => undefined },
    });
    await client.connect();
    const reconnected = new Promise((resolve) => client?.once('connect', resolve));
    const controller = new AbortController();
    const reauth = client.reauthenticate({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(reauth).rejects.toMatchObject({ code: 'MQTTKIT_ERR_OPERATION_ABORTED' });
    await reconnected;
    const sent = broker.received.map((p) => (p.cmd === 'disconnect' ? p.reasonCode : p.cmd));
    expect(sent).toEqual(['connect', 'auth', 0x00, 'connect']);
    // The new link has no exchange open: an AUTH from the broker now is a protocol error.
    const violation = new Promise((resolve) => client?.once('close', resolve));
    broker.send({ cmd: 'auth', reasonCode: 0x00, properties: { authenticationMethod: 'demo' } });
    expect(await violation).toMatchObject({ type: 'protocol-violation', reasonCode: 0x82 });
  });

  it('an abort while end() closes the link does not open a new one', async () => {
    broker = await startScriptedBroker(5, undefined, demoReauth({ silent: true }));
    client = demoClient(broker.url, (nonce) => nonce);
    await client.connect();
    const controller = new AbortController();
    const reauth = client.reauthenticate({ signal: controller.signal });
    const ended = client.end();
    controller.abort();
    await expect(reauth).rejects.toMatchObject({ code: 'MQTTKIT_ERR_OPERATION_ABORTED' });
    await ended;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.state).toBe('closed');
    expect(broker.received.filter((p) => p.cmd === 'connect')).toHaveLength(1);
  });

  it('refuses without the auth option, before a connection, and a second exchange at once', async () => {
    broker = await startScriptedBroker(5, undefined, demoReauth({ silent: true }));
    const plain = createClient({ url: broker.url, protocolVersion: 5, reconnect: false });
    await expect(plain.reauthenticate()).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_INVALID_ARGUMENT',
    });
    client = demoClient(broker.url, (nonce) => nonce);
    await expect(client.reauthenticate()).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_NOT_CONNECTED',
    });
    await client.connect();
    const first = client.reauthenticate();
    await expect(client.reauthenticate()).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_INVALID_ARGUMENT',
    });
    await client.end();
    await expect(first).rejects.toMatchObject({ reason: { type: 'local-end' } });
  });
});

describe.skipIf(!hasMosquitto)('re-authentication and mosquitto', () => {
  it('mosquitto without an authentication plugin refuses enhanced authentication at CONNECT', async () => {
    // So re-authentication, which needs a connection authenticated with a method
    // [MQTT-4.12.1-1], cannot be tried there: the scripted broker above stands in.
    const mosquitto = await startMosquitto();
    try {
      client = createClient({
        url: mosquitto.url,
        protocolVersion: 5,
        reconnect: false,
        auth: { method: 'SCRAM-SHA-256', onChallenge: () => undefined },
      });
      await expect(client.connect()).rejects.toMatchObject({
        reason: { type: 'connack-refused', reasonCode: 0x8c },
      });
    } finally {
      await mosquitto.close();
    }
  });
});
