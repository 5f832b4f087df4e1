import type { CloseReason } from '@mqttkit/state';
import { nextEvent } from '@mqttkit/testkit';
import type { MqttClient, MqttClientEvents } from '../src/index.js';

export { sleep, until } from '@mqttkit/testkit';

/** Resolves with the next `event` of `client`, or rejects after `ms`. */
export const next = <E extends keyof MqttClientEvents>(client: MqttClient, event: E, ms = 5000) =>
  nextEvent<MqttClientEvents, E>(client, event, { ms });

/** Records every close-ish event with its reason. */
export function recordReasons(client: MqttClient): Array<{ event: string; reason: CloseReason }> {
  const log: Array<{ event: string; reason: CloseReason }> = [];
  for (const event of ['close', 'offline', 'end'] as const) {
    client.on(event, (reason: CloseReason) => log.push({ event, reason }));
  }
  return log;
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
