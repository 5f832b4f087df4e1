// A pino logger below `trace`: its disabled levels are pino's own no-op functions, not ours, so
// the client must ask `isLevelEnabled` before building the two log objects each packet costs.
import { type AedesHandle, startAedes } from '@mqttkit/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, type Logger } from '../src/index.js';
import { isTracing, noopLogger } from '../src/logger.js';

const built = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/packet-log.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/packet-log.js')>();
  return {
    ...original,
    packetLog: (...args: Parameters<typeof original.packetLog>) => {
      built.count++;
      return original.packetLog(...args);
    },
  };
});

let broker: AedesHandle;
beforeAll(async () => {
  broker = await startAedes();
});
afterAll(async () => {
  await broker.close();
});
beforeEach(() => {
  built.count = 0;
});

function pinoAt(level: 'info' | 'trace'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

async function roundTrip(logger: Logger): Promise<void> {
  const c = createClient({ url: broker.url, protocolVersion: 4, logger, reconnect: false });
  await c.connect();
  await c.subscribe('level/t', { qos: 1 });
  const got = new Promise((resolve) => c.once('message', resolve));
  await c.publish('level/t', 'x', { qos: 1 });
  await c.publish('level/t', 'y', { qos: 0 });
  await got;
  await c.end();
}

describe('logger levels', () => {
  it('a pino logger at info: no packet log object is built, trace is never called', async () => {
    const { logger, lines } = pinoAt('info');
    const trace = vi.spyOn(logger, 'trace');
    expect(isTracing(logger)).toBe(false);
    await roundTrip(logger);
    expect(trace).not.toHaveBeenCalled();
    expect(built.count).toBe(0);
    // Info lines still flow.
    expect(lines.some((l) => l.includes('connection closed'))).toBe(true);
  });

  it('a pino logger at trace: packets are logged both ways', async () => {
    const { logger, lines } = pinoAt('trace');
    expect(isTracing(logger)).toBe(true);
    await roundTrip(logger);
    const messages = lines.map((l) => (JSON.parse(l) as { msg?: string }).msg);
    expect(messages).toContain('packet sent');
    expect(messages).toContain('packet received');
    expect(built.count).toBeGreaterThan(0);
  });

  it('without isLevelEnabled, only our own no-op trace counts as off', () => {
    expect(isTracing(noopLogger)).toBe(false);
    expect(isTracing({ ...noopLogger, trace: () => {} })).toBe(true);
    expect(isTracing({ ...noopLogger, trace: () => {}, isLevelEnabled: () => false })).toBe(false);
  });
});
