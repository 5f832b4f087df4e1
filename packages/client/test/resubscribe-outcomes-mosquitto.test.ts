// Resubscribe outcomes against a real broker (hivemq-mqtt-client #510 asks for them): mosquitto
// with its dynamic-security plugin grants two filters, then, between two connections, its
// configuration is rewritten to deny one. The reconnect without a session resubscribes both; the
// `resubscribe` event carries both results, `stats()` counts the refusal, and the refused filter
// is no longer restored by the connection after that.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AclUser,
  dynsecConfig,
  hasMosquittoDynsec,
  type MosquittoHandle,
  startMosquittoWithAcl,
} from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type MqttClient, type ResubscribeOutcome } from '../src/index.js';
import { next } from './helpers.js';

const ALLOWED: AclUser = {
  username: 'alice',
  password: 'alice-pw',
  allow: { subscribe: ['news/#', 'alerts/#'] },
};
/** The same user after an administrator revoked `alerts/#`. */
const REVOKED: AclUser = { ...ALLOWED, deny: { subscribe: ['alerts/#'] } };

/** SUBACK refusal: 0x80 "Failure" under 3.1.1, 0x87 "Not authorized" under 5.0. */
const refused = (v: 4 | 5): number => (v === 5 ? 0x87 : 0x80);

let broker: MosquittoHandle | undefined;
let client: MqttClient | undefined;
afterEach(async () => {
  await client?.end({ force: true });
  await broker?.close();
  client = undefined;
  broker = undefined;
});

describe.skipIf(!hasMosquittoDynsec)('resubscribe outcomes (mosquitto dynamic security)', () => {
  for (const protocolVersion of [4, 5] as const) {
    it(`MQTT ${protocolVersion === 5 ? '5.0' : '3.1.1'}: reports every result, counts and drops the refused filter`, async () => {
      broker = await startMosquittoWithAcl({ users: [ALLOWED] });
      client = createClient({
        url: broker.url,
        protocolVersion,
        username: ALLOWED.username,
        password: ALLOWED.password,
        reconnect: { initialDelay: 20, maxDelay: 100 },
      });
      await client.connect();
      const granted = await client.subscribe(['news/#', 'alerts/#'], { qos: 1 });
      expect(granted.map((r) => r.reasonCode)).toEqual([1, 1]);

      // Between two connections the ACL changes; the restart also ends the session (no
      // persistence), so the reconnect must resubscribe.
      await writeFile(
        join(broker.dir, 'dynamic-security.json'),
        `${JSON.stringify(dynsecConfig([REVOKED]), null, 2)}\n`,
      );
      const outcome = next(client, 'resubscribe', 10_000);
      await broker.restart();
      const first: ResubscribeOutcome = await outcome;
      expect(first.results).toEqual([
        { topicFilter: 'news/#', reasonCode: 1, qos: 1 },
        { topicFilter: 'alerts/#', reasonCode: refused(protocolVersion) },
      ]);
      expect(first.refused).toEqual([
        { topicFilter: 'alerts/#', reasonCode: refused(protocolVersion) },
      ]);
      expect(client.stats().resubscribeRefused).toBe(1);
      expect(client.state).toBe('connected');

      // The refused filter is dropped from what is restored: the next new session asks for
      // news/# alone.
      const again = next(client, 'resubscribe', 10_000);
      await broker.restart();
      expect((await again).results).toEqual([{ topicFilter: 'news/#', reasonCode: 1, qos: 1 }]);
      expect(client.stats().resubscribeRefused).toBe(1);
    }, 30_000);
  }
});
