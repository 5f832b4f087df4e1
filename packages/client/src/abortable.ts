/**
 * The settle functions of an operation a caller's `signal` may abort. `onAbort` listens only
 * while the operation is pending: a long-lived signal shared by many calls must not collect one
 * listener per call.
 */
import type { AbortSignalLike } from './globals.js';
import type { Deferred } from './session.js';

export function abortable<T>(
  signal: AbortSignalLike | undefined,
  onAbort: () => void,
  resolve: (value: T) => void,
  reject: (error: unknown) => void,
): Deferred<T> {
  signal?.addEventListener('abort', onAbort, { once: true });
  const done = (): void => signal?.removeEventListener('abort', onAbort);
  return {
    resolve: (value) => {
      done();
      resolve(value);
    },
    reject: (error) => {
      done();
      reject(error);
    },
  };
}
