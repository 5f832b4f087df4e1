/**
 * What the page connects to, from its query string:
 * `?url=ws://127.0.0.1:9001/mqtt&v=4&keepalive=5&timers=worker`.
 */

/** The WebSocket listener of the demo broker (`pnpm demo --stay`). */
export const DEMO_BROKER_URL = 'ws://127.0.0.1:9001/mqtt';

export interface PageSettings {
  url: string;
  protocolVersion: 4 | 5;
  /** Keep Alive, seconds: short by default so pings show up while you watch. */
  keepalive: number;
  /**
   * Where the client's timers run: `host` (the page's own, throttled while the tab is hidden)
   * or `worker` (a dedicated worker from `@mqttkit/keepalive`'s `createWorkerTimers()`).
   */
  timers: 'host' | 'worker';
  /** From the header's fields or a saved connection, never from the query string. */
  username?: string;
  password?: string;
}

export function readSettings(search: string): PageSettings {
  const query = new URLSearchParams(search);
  const keepalive = Number(query.get('keepalive') ?? 5);
  return {
    url: query.get('url') ?? DEMO_BROKER_URL,
    // aedes, the demo broker, speaks MQTT 3.1.1.
    protocolVersion: query.get('v') === '5' ? 5 : 4,
    keepalive: Number.isInteger(keepalive) && keepalive >= 0 ? keepalive : 5,
    timers: query.get('timers') === 'worker' ? 'worker' : 'host',
  };
}
