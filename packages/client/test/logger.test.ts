import { type AedesHandle, startAedes } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Logger, type Packet } from '../src/index.js';

let broker: AedesHandle;
beforeAll(async () => {
  broker = await startAedes();
});
afterAll(async () => {
  await broker.close();
});

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push(
      `${level} ${msg ?? ''} ${JSON.stringify(obj, (_k, v) => (v instanceof Uint8Array ? [...v] : v))}`,
    );
  };
  const logger: Logger = {
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
  return { logger, lines };
}

describe('logger', () => {
  it('logs the lifecycle at trace level without passwords or payloads; packetsend redacts CONNECT', async () => {
    const { logger, lines } = capture();
    const c = createClient({
      url: broker.url,
      protocolVersion: 4,
      username: 'user',
      password: 'pa55-secret',
      logger,
      reconnect: false,
    });
    const sent: Packet[] = [];
    c.on('packetsend', (p) => sent.push(p));
    await c.connect();
    await c.subscribe('log/t', { qos: 1 });
    await c.publish('log/t', 'payload-secret', { qos: 1 });
    await c.end();
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(all).toContain('packet sent');
    expect(all).not.toContain('pa55-secret');
    expect(all).not.toContain('payload-secret');
    // The password as bytes does not appear either.
    expect(all).not.toContain(
      JSON.stringify([...new TextEncoder().encode('pa55-secret')]).slice(1, -1),
    );
    const connect = sent.find((p) => p.cmd === 'connect');
    expect(connect?.cmd === 'connect' && connect.password).toBe(undefined);
    expect(connect?.cmd === 'connect' && connect.username).toBe('user');
  });
});
