// Options typed wrong in JavaScript used to pass silently; each is now an InvalidOptionError
// naming the nearest known option, or where an MQTT.js option's job went in mqttkit.
import { describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, InvalidOptionError } from '../src/index.js';
import { editDistance, nearestName } from '../src/unknown-options.js';

const url = 'mqtt://127.0.0.1:1883';

/** The error `createClient` throws for options a JavaScript caller may pass. */
function refusal(options: Record<string, unknown>): InvalidOptionError {
  try {
    createClient(options as ClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    return error as InvalidOptionError;
  }
  throw new Error('createClient accepted the options');
}

// MQTT.js 5.16 `IClientOptions` and `ISecureClientOptions`, as its client.d.ts declares them.
const MQTTJS_NAMES = [
  'encoding',
  'browserBufferSize',
  'binary',
  'my',
  'manualConnect',
  'authPacket',
  'writeCache',
  'servername',
  'defaultProtocol',
  'query',
  'auth',
  'socksProxy',
  'socksTimeout',
  'customHandleAcks',
  'port',
  'host',
  'hostname',
  'unixSocket',
  'path',
  'protocol',
  'wsOptions',
  'reconnectPeriod',
  'reconnectOnConnackError',
  'connectTimeout',
  'incomingStore',
  'outgoingStore',
  'queueQoSZero',
  'log',
  'autoUseTopicAlias',
  'autoAssignTopicAlias',
  'reschedulePings',
  'servers',
  'resubscribe',
  'subscribeBatchSize',
  'transformWsUrl',
  'createWebsocket',
  'messageIdProvider',
  'browserBufferTimeout',
  'objectMode',
  'clientId',
  'protocolVersion',
  'protocolId',
  'clean',
  'keepalive',
  'username',
  'password',
  'will',
  'properties',
  'timerVariant',
  'forceNativeWebSocket',
  'key',
  'keyPath',
  'cert',
  'certPath',
  'ca',
  'caPaths',
  'rejectUnauthorized',
  'ALPNProtocols',
];

describe('unknown options', () => {
  it("the issue's three: keepAlive, reconnectPeriod, a top-level rejectUnauthorized", () => {
    const keepAlive = refusal({ url, keepAlive: 30 });
    expect(keepAlive.option).toBe('keepAlive');
    expect(keepAlive.message).toContain('did you mean keepalive?');
    const period = refusal({ url, reconnectPeriod: 1000 });
    expect(period.option).toBe('reconnectPeriod');
    expect(period.message).toContain("MQTT.js's reconnectPeriod is reconnect: { initialDelay }");
    const unauthorized = refusal({ url, rejectUnauthorized: false });
    expect(unauthorized.message).toContain('tls: { insecureSkipVerify: true }');
  });

  it('names the nearest option inside reconnect, queue, tls, ws, auth and will', () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ reconnect: { initalDelay: 10 } }, 'reconnect.initalDelay', 'reconnect.initialDelay'],
      [{ queue: { maxMessage: 10 } }, 'queue.maxMessage', 'queue.maxMessages'],
      [{ tls: { serverName: 'x' } }, 'tls.serverName', 'tls.servername'],
      [{ ws: { header: {} } }, 'ws.header', 'ws.headers'],
      [
        { auth: { method: 'm', onChalenge: () => undefined } },
        'auth.onChalenge',
        'auth.onChallenge',
      ],
      [{ will: { topic: 't', payload: '', retained: true } }, 'will.retained', 'will.retain'],
    ];
    for (const [options, option, nearest] of cases) {
      const error = refusal({ url, ...options });
      expect(error.option).toBe(option);
      expect(error.message).toContain(`did you mean ${nearest}?`);
    }
  });

  it('a nested option given at the top level points into its object', () => {
    expect(refusal({ url, insecureSkipVerify: true }).message).toContain(
      'did you mean tls: { insecureSkipVerify }?',
    );
    expect(refusal({ url, maxDelay: 10 }).message).toContain(
      'did you mean reconnect: { maxDelay }?',
    );
  });

  it('MQTT.js options under tls and in servers entries get their sentence', () => {
    expect(refusal({ url, tls: { rejectUnauthorized: false } }).message).toContain(
      'insecureSkipVerify',
    );
    const server = refusal({ servers: [{ host: 'h', port: 1883 }] });
    expect(server.option).toBe('servers[0].host');
    expect(server.message).toContain("servers: ['mqtt://host:port']");
  });

  it('a name far from every option lists the known ones', () => {
    const error = refusal({ url, ws: { zzzzzz: 1 } });
    expect(error.message).toContain('known: path, headers, protocols');
  });

  it('every MQTT.js 5 option name is an mqttkit option or gets a sentence saying where it went', () => {
    for (const name of MQTTJS_NAMES) {
      let error: unknown;
      try {
        createClient({ url, [name]: {} } as ClientOptions);
      } catch (caught) {
        error = caught;
      }
      // A shared name fails its own type check (or passes), never as unknown.
      const message = error instanceof Error ? error.message : '';
      if (message.includes('a known option name')) expect(message).toContain(`MQTT.js's ${name}`);
    }
  });

  it('an unknown name set to undefined changes nothing and is let through', () => {
    expect(() => createClient({ url, reconnectPeriod: undefined } as ClientOptions)).not.toThrow();
  });

  it('edit distance: swaps count once; case is ignored when matching', () => {
    expect(editDistance('reconect', 'reconnect')).toBe(1);
    expect(editDistance('kepealive', 'keepalive')).toBe(1);
    expect(nearestName('KeepAlive', ['keepalive', 'clean'])).toBe('keepalive');
    expect(nearestName('qos', ['url', 'ws'])).toBeUndefined();
  });
});
