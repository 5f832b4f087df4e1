import { type AedesHandle, startAedes } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArgsOf, TypedEmitter } from '../src/emitter.js';
import { createClient, type MqttClient } from '../src/index.js';
import { next } from './helpers.js';

type Events = { error: (e: unknown) => void; ping: (n: number) => void };

class Exposed extends TypedEmitter<Events> {
  fire<E extends keyof Events>(event: E, ...args: ArgsOf<Events[E]>): boolean {
    return this.emit(event, ...args);
  }
}

describe('TypedEmitter', () => {
  it('an error event without listener is dropped, not thrown', () => {
    const e = new Exposed();
    expect(() => e.fire('error', new Error('x'))).not.toThrow();
    expect(e.fire('error', new Error('x'))).toBe(false);
  });

  it('a throwing listener does not stop the others; the throw goes to onListenerError', () => {
    const thrown: unknown[] = [];
    const e = new Exposed((_event, error) => thrown.push(error));
    const seen: number[] = [];
    e.on('ping', () => {
      throw new Error('boom');
    });
    e.on('ping', (n) => seen.push(n));
    e.fire('ping', 1);
    expect(seen).toEqual([1]);
    expect(thrown).toHaveLength(1);
  });

  it('once and off', () => {
    const e = new Exposed();
    const seen: number[] = [];
    const listener = (n: number) => seen.push(n);
    e.once('ping', (n) => seen.push(n * 10));
    e.on('ping', listener);
    e.fire('ping', 1);
    e.off('ping', listener);
    e.fire('ping', 2);
    expect(seen).toEqual([10, 1]);
    expect(e.listenerCount('ping')).toBe(0);
  });
});

describe('client events with real network input', () => {
  let broker: AedesHandle;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    broker = await startAedes();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end({ force: true })));
    await broker.close();
  });

  it('a throwing message listener is reported on error (ListenerError) and the link stays up', async () => {
    const c = createClient({ url: broker.url, protocolVersion: 4, reconnect: false });
    clients.push(c);
    await c.connect();
    await c.subscribe('throw/t', { qos: 1 });
    c.on('message', () => {
      throw new Error('handler bug');
    });
    const error = next(c, 'error');
    await c.publish('throw/t', 'x', { qos: 1 });
    expect(await error).toMatchObject({ code: 'MQTTKIT_ERR_LISTENER_THREW', event: 'message' });
    expect(c.state).toBe('connected');
    await expect(c.publish('throw/t', 'y', { qos: 1 })).resolves.toBeDefined();
  });

  it('a message listener whose promise rejects is reported on error, never unhandled', async () => {
    const c = createClient({ url: broker.url, protocolVersion: 4, reconnect: false });
    clients.push(c);
    await c.connect();
    await c.subscribe('reject/t', { qos: 1 });
    c.on('message', async () => {
      throw new Error('async handler bug');
    });
    const error = next(c, 'error');
    await c.publish('reject/t', 'x', { qos: 1 });
    expect(await error).toMatchObject({ code: 'MQTTKIT_ERR_LISTENER_THREW', event: 'message' });
    expect(c.state).toBe('connected');
  });

  it('state events carry from, to and the close reason', async () => {
    const c = createClient({ url: broker.url, protocolVersion: 4, reconnect: false });
    clients.push(c);
    const changes: string[] = [];
    c.on('state', (s) => changes.push(`${s.from}>${s.to}${s.reason ? `:${s.reason.type}` : ''}`));
    await c.connect();
    await c.end();
    expect(changes).toEqual([
      'idle>connecting',
      'connecting>awaitingConnack',
      'awaitingConnack>connected',
      'connected>disconnecting:local-end',
      'disconnecting>closed:local-end',
    ]);
  });
});
