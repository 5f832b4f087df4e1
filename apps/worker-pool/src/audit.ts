// Reads the ledgers after a run and says whether every message was processed at least once,
// and where each duplicate came from. The only accepted source of a duplicate is a worker killed
// without a drain: the messages it had processed but whose PUBACK had not reached the broker
// stay in flight in the slot's session and are resent, with DUP, to the slot's next process.
import type { LedgerRecord } from './ledger.js';

export interface Duplicate {
  id: string;
  /** The process that handled it first, and whether that process was killed. */
  first: LedgerRecord;
  again: LedgerRecord;
  explained: boolean;
}

export interface Audit {
  processed: number;
  missing: string[];
  duplicates: Duplicate[];
}

/** `expected` ids 0..count-1; `killed`: pids that ended without a drain. */
export function audit(
  records: readonly LedgerRecord[],
  count: number,
  killed: ReadonlySet<number>,
): Audit {
  const first = new Map<string, LedgerRecord>();
  const duplicates: Duplicate[] = [];
  for (const record of records) {
    const earlier = first.get(record.id);
    if (!earlier) {
      first.set(record.id, record);
      continue;
    }
    duplicates.push({
      id: record.id,
      first: earlier,
      again: record,
      // Same slot (the session kept it), a later process, a redelivery, and the first one died.
      explained:
        killed.has(earlier.pid) &&
        earlier.slot === record.slot &&
        earlier.pid !== record.pid &&
        record.dup,
    });
  }
  const missing: string[] = [];
  for (let n = 0; n < count; n++) if (!first.has(String(n))) missing.push(String(n));
  return { processed: first.size, missing, duplicates };
}
