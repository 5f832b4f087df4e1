import { describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';

const url = 'mqtt://127.0.0.1:1';

describe('options validation', () => {
  const invalid: Array<[string, Parameters<typeof createClient>[0], string]> = [
    ['no url', {}, 'url'],
    ['bad scheme', { url: 'http://x' }, 'url'],
    ['empty servers', { servers: [] }, 'servers'],
    ['protocol 2', { url, protocolVersion: 2 as 4 }, 'protocolVersion'],
    ['keepalive too big', { url, keepalive: 70_000 }, 'keepalive'],
    ['negative connect timeout', { url, connectTimeout: -1 }, 'connectTimeout'],
    ['bad backoff', { url, reconnect: { initialDelay: 10, maxDelay: 5 } }, 'reconnect'],
    ['bad overflow', { url, queue: { overflow: 'block' as 'reject-new' } }, 'queue.overflow'],
    ['empty id without clean', { url, clientId: '', clean: false }, 'clientId'],
    [
      'MQTT 5 properties under 3.1.1',
      { url, protocolVersion: 4, sessionExpiryInterval: 10 },
      'properties',
    ],
    ['password without username (not encodable)', { url, password: 'secret' }, 'options'],
    ['will with QoS 3', { url, will: { topic: 't', payload: 'x', qos: 3 as 0 } }, 'will.qos'],
  ];
  for (const [name, options, option] of invalid) {
    it(`refuses ${name} with InvalidOptionError`, () => {
      expect(() => createClient(options)).toThrow(
        expect.objectContaining({ code: 'MQTTKIT_ERR_INVALID_OPTION', option }),
      );
    });
  }

  it('an InvalidOptionError message never contains the password', () => {
    try {
      createClient({ url, password: 'hunter2-secret' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
  });

  it('refuses bad operation arguments with InvalidArgumentError, before any I/O', async () => {
    const c = createClient({ url, protocolVersion: 4 });
    await expect(c.publish('a/+/b', 'x')).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_INVALID_ARGUMENT',
    });
    await expect(c.publish('a', 'x', { qos: 3 as 0 })).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_INVALID_ARGUMENT',
    });
    await expect(c.publish('a', 'x', { properties: { contentType: 'x' } })).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_INVALID_ARGUMENT',
    });
    await expect(c.subscribe('a/#/b')).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_INVALID_ARGUMENT',
    });
    await expect(c.subscribe([{ topicFilter: 'a', noLocal: true }])).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_INVALID_ARGUMENT',
    });
    await expect(c.unsubscribe([])).rejects.toMatchObject({ code: 'MQTTKIT_ERR_INVALID_ARGUMENT' });
    const v5 = createClient({ url, protocolVersion: 5 });
    await expect(
      v5.publish('a', 'x', { properties: { messageExpiryInterval: -1 } }),
    ).rejects.toMatchObject({ code: 'MQTTKIT_ERR_INVALID_ARGUMENT' });
    await expect(v5.request('a', 'x', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_OPERATION_ABORTED',
    });
  });
});
