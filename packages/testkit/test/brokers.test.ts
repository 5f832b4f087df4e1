import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { hasMosquitto, startAedes, startMosquitto } from '../src/index.js';

// MQTT 3.1.1 CONNECT, client id "t", clean session, keepalive 10 s:
// 10 0d | 00 04 'MQTT' | 04 (level) | 02 (clean) | 00 0a (keepalive) | 00 01 't'
const CONNECT = Buffer.from('100d00044d5154540402000a000174', 'hex');
const CONNACK_ACCEPTED = '20020000';

async function handshake(port: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(CONNECT);
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  socket.destroy();
  return chunk.toString('hex');
}

describe('startAedes', () => {
  it('answers CONNECT over tcp and closes cleanly', async () => {
    const aedes = await startAedes();
    try {
      expect(await handshake(aedes.port)).toBe(CONNACK_ACCEPTED);
    } finally {
      await aedes.close();
    }
  });
});

describe.skipIf(!hasMosquitto)('startMosquitto', () => {
  it('answers CONNECT, survives a restart on the same port', async () => {
    const mosquitto = await startMosquitto({ persistence: true });
    try {
      expect(await handshake(mosquitto.port)).toBe(CONNACK_ACCEPTED);
      await mosquitto.restart();
      expect(await handshake(mosquitto.port)).toBe(CONNACK_ACCEPTED);
    } finally {
      await mosquitto.close();
    }
  }, 15_000);
});
