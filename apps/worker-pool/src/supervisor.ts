// The supervisor: keeps one worker process in each slot of the group. A worker that exits while
// the supervisor runs (a crash, a SIGKILL, an out-of-memory kill, a SIGTERM from a rolling
// deploy) is started again in the same slot, with the same client id, so the broker resumes its
// session and resends what the dead process held. Crash loops back off up to 5 s.
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GroupSettings } from './slot.js';
import { isWorkerReport, type WorkerConfig } from './worker-config.js';

/** What the supervisor tells about its workers. */
export interface SupervisorEvents {
  started: [{ slot: number; pid: number; generation: number }];
  ready: [{ slot: number; pid: number; sessionPresent: boolean }];
  drained: [{ slot: number; pid: number; inHand: number; declined: number }];
  exited: [{ slot: number; pid: number; code: number | null; signal: NodeJS.Signals | null }];
}

export interface SupervisorOptions {
  settings: GroupSettings;
  workers: number;
  ledgerDir?: string;
  workMs: number;
}

interface Seat {
  slot: number;
  generation: number;
  child?: ChildProcess;
  startedAt: number;
  /** Consecutive short-lived runs, for the crash-loop backoff. */
  quickExits: number;
}

// The worker next to this file: worker.js when built, worker.ts when run from source with tsx.
const here = fileURLToPath(import.meta.url);
const WORKER = join(dirname(here), `worker${extname(here)}`);

export class Supervisor extends EventEmitter<SupervisorEvents> {
  readonly #options: SupervisorOptions;
  readonly #seats: Seat[];
  #stopping = false;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: SupervisorOptions) {
    super();
    this.#options = options;
    this.#seats = Array.from({ length: options.workers }, (_, slot) => ({
      slot,
      generation: -1,
      startedAt: 0,
      quickExits: 0,
    }));
  }

  start(): void {
    if (this.#options.ledgerDir !== undefined)
      mkdirSync(this.#options.ledgerDir, { recursive: true });
    for (const seat of this.#seats) this.#launch(seat);
  }

  /** The pid of the process in `slot` now, if one runs. */
  pid(slot: number): number | undefined {
    return this.#seats[slot]?.child?.pid;
  }

  /** Drains every worker (SIGTERM), waits for them to exit, and starts no new one. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearTimeout(timer);
    await Promise.all(
      this.#seats.map(async ({ child }) => {
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  #launch(seat: Seat): void {
    seat.generation += 1;
    seat.startedAt = Date.now();
    const config: WorkerConfig = {
      settings: this.#options.settings,
      slot: seat.slot,
      workMs: this.#options.workMs,
    };
    if (this.#options.ledgerDir !== undefined) config.ledgerDir = this.#options.ledgerDir;
    const child = fork(WORKER, [JSON.stringify(config)], { stdio: 'inherit' });
    seat.child = child;
    const pid = child.pid ?? -1;
    this.emit('started', { slot: seat.slot, pid, generation: seat.generation });
    child.on('message', (report) => {
      if (!isWorkerReport(report)) return;
      if (report.type === 'ready') {
        this.emit('ready', { slot: seat.slot, pid, sessionPresent: report.sessionPresent });
      } else {
        const { inHand, declined } = report;
        this.emit('drained', { slot: seat.slot, pid, inHand, declined });
      }
    });
    child.once('exit', (code, signal) => {
      this.emit('exited', { slot: seat.slot, pid, code, signal });
      if (this.#stopping) return;
      seat.quickExits = Date.now() - seat.startedAt < 1000 ? seat.quickExits + 1 : 0;
      const delay = seat.quickExits === 0 ? 0 : Math.min(5000, 100 * 2 ** seat.quickExits);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (!this.#stopping) this.#launch(seat);
      }, delay);
      this.#timers.add(timer);
    });
  }
}
