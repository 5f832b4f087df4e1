import { type AedesHandle, startAedes } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open as openBrowser } from '../src/browser.js';
import { open } from '../src/index.js';
import { recorder } from './helpers.js';

// An MQTT 3.1.1 CONNECT, encoded by hand (spec section 3.1):
// biome-ignore format: one field per line
const CONNECT = Uint8Array.of(
  0x10, // fixed header: packet type 1 (CONNECT), flags 0
  0x0e, // remaining length: 10 (variable header) + 4 (payload)
  0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, // protocol name "MQTT" [MQTT-3.1.2-1]
  0x04, // protocol level 4 = 3.1.1 [MQTT-3.1.2-2]
  0x02, // connect flags: clean session only, no will, no username/password
  0x00, 0x3c, // keep alive: 60 s
  0x00, 0x02, 0x74, 0x74, // payload: client identifier "tt" (length-prefixed UTF-8)
);
// CONNACK: type 2, remaining length 2, session present 0, return code 0 (accepted).
const CONNACK = [0x20, 0x02, 0x00, 0x00];
const PINGREQ = Uint8Array.of(0xc0, 0x00); // type 12, remaining length 0
const PINGRESP = [0xd0, 0x00]; // type 13, remaining length 0

let broker: AedesHandle;
beforeAll(async () => {
  broker = await startAedes({ ws: true });
});
afterAll(async () => {
  await broker.close();
});

const targets = [
  { name: 'tcp', url: () => broker.url, open },
  { name: 'ws', url: () => broker.wsUrl!, open },
  { name: 'ws (browser adapter)', url: () => broker.wsUrl!, open: openBrowser },
];

describe('aedes in-process broker', () => {
  for (const target of targets) {
    it(`CONNECT -> CONNACK, PINGREQ -> PINGRESP over ${target.name}`, async () => {
      const globals = globalThis as { WebSocket?: unknown };
      const previous = globals.WebSocket;
      if (target.open === openBrowser) globals.WebSocket = (await import('ws')).WebSocket;
      try {
        const rec = recorder();
        const transport = await target.open(target.url(), rec.handlers);
        transport.write(CONNECT);
        expect([...(await rec.waitForBytes(4))]).toEqual(CONNACK);
        transport.write(PINGREQ);
        expect([...(await rec.waitForBytes(6))].slice(4)).toEqual(PINGRESP);
        transport.write(Uint8Array.of(0xe0, 0x00)); // DISCONNECT
        transport.close();
        expect(await rec.waitForClose()).toEqual({ initiator: 'local' });
        expect(rec.closes).toHaveLength(1);
      } finally {
        globals.WebSocket = previous;
      }
    });
  }
});
