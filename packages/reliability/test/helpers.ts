import type { CloseReason, MqttClient, MqttClientEvents } from '@mqttkit/client';

export type EventName = 'connect' | 'close' | 'offline' | 'end' | 'state' | 'message' | 'error';

/** Resolves with the next `event` of `client`, or rejects after `ms`. */
export function next<E extends EventName>(
  client: MqttClient,
  event: E,
  ms = 5000,
): Promise<Parameters<MqttClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`timed out waiting for "${event}"`));
    }, ms);
    const listener = ((value: Parameters<MqttClientEvents[E]>[0]) => {
      clearTimeout(timer);
      client.off(event, listener);
      resolve(value);
    }) as unknown as MqttClientEvents[E];
    client.on(event, listener);
  });
}

/** Records every close-ish event with its reason. */
export function recordReasons(client: MqttClient): Array<{ event: string; reason: CloseReason }> {
  const log: Array<{ event: string; reason: CloseReason }> = [];
  for (const event of ['close', 'offline', 'end'] as const) {
    client.on(event, (reason: CloseReason) => log.push({ event, reason }));
  }
  return log;
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it is truthy or `ms` pass. */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export const uid = (): string => Math.random().toString(16).slice(2, 10);
