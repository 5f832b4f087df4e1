import { type AedesHandle, startAedes } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';
import { sleep } from './helpers.js';
import { startScriptedBroker } from './scripted-broker.js';

let broker: AedesHandle;
beforeAll(async () => {
  broker = await startAedes();
});
afterAll(async () => {
  await broker.close();
});

describe('QoS 0 and transport backpressure', () => {
  it('a QoS 0 publish above the high-water mark resolves only after the transport drained', async () => {
    const peer = await startScriptedBroker(4);
    try {
      const c = createClient({ url: peer.url, protocolVersion: 4, reconnect: false, keepalive: 0 });
      await c.connect();
      // The broker stops reading: kernel buffers fill, then the socket stays above its mark.
      peer.pause();
      let resolved = false;
      const big = c.publish('bp/t', new Uint8Array(32 * 1024 * 1024)).then(() => {
        resolved = true;
      });
      await sleep(100);
      expect(resolved).toBe(false);
      // Small publishes behind it wait too: the transport is still above its mark.
      let small = false;
      const next = c.publish('bp/t', 'x').then(() => {
        small = true;
      });
      await sleep(20);
      expect(small).toBe(false);
      // The link ends: QoS 0 (at most once) settles instead of hanging.
      await c.end({ force: true });
      await Promise.all([big, next]);
      expect(resolved && small).toBe(true);
    } finally {
      await peer.close();
    }
  });

  it('below the mark a QoS 0 publish resolves at once', async () => {
    const c = createClient({ url: broker.url, protocolVersion: 4, reconnect: false });
    await c.connect();
    await expect(c.publish('bp/small', 'x')).resolves.toEqual({ reasonCode: 0 });
    await c.end();
  });
});
