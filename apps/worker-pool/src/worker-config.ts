// What the supervisor hands a worker process (as one JSON argument) and what a worker reports
// back over the IPC channel.
import type { GroupSettings } from './slot.js';

export interface WorkerConfig {
  settings: GroupSettings;
  slot: number;
  /** Folder of the processed-message ledgers; none: processed messages are only counted. */
  ledgerDir?: string;
  /** Simulated work per message, ms (an async wait, as an I/O-bound handler has). */
  workMs: number;
}

/** Worker -> supervisor. */
export type WorkerReport =
  | { type: 'ready'; sessionPresent: boolean }
  | { type: 'drained'; inHand: number; declined: number };

export function isWorkerReport(value: unknown): value is WorkerReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as { type?: unknown }).type === 'ready' ||
      (value as { type?: unknown }).type === 'drained')
  );
}
