import type { Packet } from '@mqttkit/codec';
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

/** A broker running a two-step challenge/response for method "demo" before CONNACK. */
function demoAuth(packet: Packet, send: (p: Packet) => void): boolean {
  if (packet.cmd === 'connect') {
    send({
      cmd: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'demo', authenticationData: bytes('nonce-1') },
    });
    return true;
  }
  if (packet.cmd === 'auth') {
    const answer = str(packet.properties?.authenticationData);
    if (answer === 'signed(nonce-1)') {
      send({
        cmd: 'connack',
        sessionPresent: false,
        reasonCode: 0,
        properties: { authenticationMethod: 'demo' },
      });
    } else {
      send({ cmd: 'connack', sessionPresent: false, reasonCode: 0x87 });
    }
    return true;
  }
  return false;
}

describe('MQTT 5 enhanced authentication (AUTH hook)', () => {
  it('answers AUTH challenges with onChallenge until CONNACK', async () => {
    broker = await startScriptedBroker(5, undefined, demoAuth);
    const challenges: string[] = [];
    client = createClient({
      url: broker.url,
      protocolVersion: 5,
      reconnect: false,
      auth: {
        method: 'demo',
        data: bytes('hello'),
        onChallenge: async ({ data }) => {
          challenges.push(str(data));
          return bytes(`signed(${str(data)})`);
        },
      },
    });
    await client.connect();
    expect(challenges).toEqual(['nonce-1']);
    const connect = broker.received.find((p) => p.cmd === 'connect');
    expect(connect?.cmd === 'connect' && connect.properties?.authenticationMethod).toBe('demo');
    expect(client.state).toBe('connected');
  });

  it('a wrong answer ends in a typed CONNACK refusal; a throwing hook ends the attempt', async () => {
    broker = await startScriptedBroker(5, undefined, demoAuth);
    client = createClient({
      url: broker.url,
      protocolVersion: 5,
      reconnect: false,
      auth: { method: 'demo', onChallenge: () => bytes('wrong') },
    });
    await expect(client.connect()).rejects.toMatchObject({
      reason: { type: 'connack-refused', reasonCode: 0x87 },
    });
    const failing = createClient({
      url: broker.url,
      protocolVersion: 5,
      reconnect: false,
      auth: {
        method: 'demo',
        onChallenge: () => {
          throw new Error('no key');
        },
      },
    });
    const errors: unknown[] = [];
    failing.on('error', (e) => errors.push(e));
    await expect(failing.connect()).rejects.toMatchObject({ code: 'MQTTKIT_ERR_CONNECT_FAILED' });
    expect(errors).toHaveLength(1);
  });

  it('an AUTH outside an exchange is a protocol error', async () => {
    broker = await startScriptedBroker(5);
    client = createClient({ url: broker.url, protocolVersion: 5, reconnect: false });
    await client.connect();
    const closed = new Promise((resolve) => client?.once('close', resolve));
    broker.send({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'x' } });
    expect(await closed).toMatchObject({ type: 'protocol-violation', reasonCode: 0x82 });
  });
});
