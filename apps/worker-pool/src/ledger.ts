// The processed-message ledger: one append-only file per slot, one line per processed message,
// `<msg-id> <pid> <dup 0|1> <in hand>`. Written synchronously before the handler resolves, so a line
// exists for every message whose PUBACK may have left, even when the process is SIGKILLed the
// next instant (the kernel keeps what write(2) accepted). It is what proves "at least once".
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** One line of a ledger. */
export interface LedgerRecord {
  id: string;
  slot: number;
  pid: number;
  dup: boolean;
  /** Messages the process held (handlers running) when it recorded this one. */
  inHand: number;
}

/** An open ledger file of one slot. */
export interface LedgerWriter {
  append(id: string, dup: boolean, inHand: number): void;
  close(): void;
}

export function ledgerPath(dir: string, slot: number): string {
  return join(dir, `slot-${slot}.log`);
}

export function openLedger(dir: string, slot: number): LedgerWriter {
  const fd = openSync(ledgerPath(dir, slot), 'a');
  return {
    append(id, dup, inHand) {
      writeSync(fd, `${id} ${process.pid} ${dup ? 1 : 0} ${inHand}\n`);
    },
    close() {
      closeSync(fd);
    },
  };
}

const parseLine = (line: string, slot: number): LedgerRecord | undefined => {
  const [id, pid, dup, inHand] = line.split(' ');
  return id && pid
    ? { id, slot, pid: Number(pid), dup: dup === '1', inHand: Number(inHand) }
    : undefined;
};

const ledgerSlots = (dir: string): number[] =>
  readdirSync(dir).flatMap((name) => {
    const match = /^slot-(\d+)\.log$/.exec(name);
    return match ? [Number(match[1])] : [];
  });

/** Every record of every slot in `dir`; within a slot in the order they were written. */
export function readLedgers(dir: string): LedgerRecord[] {
  return ledgerSlots(dir).flatMap((slot) =>
    readFileSync(ledgerPath(dir, slot), 'utf8')
      .split('\n')
      .flatMap((line) => parseLine(line, slot) ?? []),
  );
}

/**
 * Follows the ledgers of `dir` while workers write them, reading only what was appended since
 * the last `poll()` (a run's progress without re-reading every line).
 */
export class LedgerTail {
  readonly #dir: string;
  readonly #offsets = new Map<number, number>();
  readonly #partial = new Map<number, string>();
  /** Distinct message ids seen so far. */
  readonly ids = new Set<string>();
  /** Records seen so far, duplicates included. */
  records = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Reads what was appended; returns the number of distinct ids seen. */
  poll(): number {
    for (const slot of existsSync(this.#dir) ? ledgerSlots(this.#dir) : []) {
      const path = ledgerPath(this.#dir, slot);
      const from = this.#offsets.get(slot) ?? 0;
      const size = statSync(path).size;
      if (size <= from) continue;
      const buffer = Buffer.alloc(size - from);
      const fd = openSync(path, 'r');
      const read = readSync(fd, buffer, 0, buffer.length, from);
      closeSync(fd);
      this.#offsets.set(slot, from + read);
      const lines = ((this.#partial.get(slot) ?? '') + buffer.toString('utf8', 0, read)).split(
        '\n',
      );
      this.#partial.set(slot, lines.pop() ?? '');
      for (const line of lines) {
        const record = parseLine(line, slot);
        if (!record) continue;
        this.records += 1;
        this.ids.add(record.id);
      }
    }
    return this.ids.size;
  }
}
