import type { ClientStats } from '@mqttkit/client';
import { byId } from './dom.js';

const FIELDS: ReadonlyArray<[id: string, read: (s: ClientStats) => string]> = [
  ['pings-sent', (s) => String(s.pingsSent)],
  ['pongs', (s) => String(s.pongsReceived)],
  ['rtt', (s) => (s.lastRttMs === undefined ? '–' : `${s.lastRttMs.toFixed(1)} ms`)],
  ['reconnects', (s) => String(s.reconnects)],
  ['inflight', (s) => String(s.inflight)],
  ['queued', (s) => String(s.queued)],
];

/** Writes `stats()` into the keepalive panel (only the cells that changed). */
export function renderStats(stats: ClientStats): void {
  for (const [id, read] of FIELDS) {
    const cell = byId(id);
    const text = read(stats);
    if (cell.textContent !== text) cell.textContent = text;
  }
}
