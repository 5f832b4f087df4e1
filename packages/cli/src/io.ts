/** What a command touches outside itself, injected so tests and `bin.ts` can supply their own. */
import type { Readable, Writable } from 'node:stream';

export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Aborts when the user asks to stop (SIGINT, SIGTERM). */
  interrupt: AbortSignal;
  /** Whether stderr is a terminal (progress lines are only drawn there). */
  stderrIsTTY: boolean;
  /** Wall clock, ms since the epoch (with a fraction when available). */
  now(): number;
}

/** Write and wait until the stream accepted the bytes (backpressure for big outputs). */
export function write(stream: Writable, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (error) => (error ? reject(error) : resolve()));
  });
}

export function line(stream: Writable, text: string): void {
  stream.write(`${text}\n`);
}
