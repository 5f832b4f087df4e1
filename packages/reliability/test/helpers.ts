// The client's test helpers, for the reliability suite, which runs the built client as users do.
import { nextEvent } from '@mqttkit/testkit';

export { sleep, until } from '@mqttkit/testkit';
export { recordReasons, text } from '../../client/test/helpers.js';

import type { MqttClient, MqttClientEvents } from '@mqttkit/client';

export type EventName = 'connect' | 'close' | 'offline' | 'end' | 'state' | 'message' | 'error';

/** Resolves with the next `event` of `client`, or rejects after `ms`. */
export const next = <E extends EventName>(client: MqttClient, event: E, ms = 5000) =>
  nextEvent<MqttClientEvents, E>(client, event, { ms });

export const uid = (): string => Math.random().toString(16).slice(2, 10);
