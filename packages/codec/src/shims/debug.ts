/**
 * Browser stand-in for the `debug` package: mqtt-packet calls `require('debug')(namespace)`
 * and then the logger on every packet, so this returns one shared no-op logger.
 */
const noop = (..._args: unknown[]): void => {};

export function createDebug(_namespace: string): (...args: unknown[]) => void {
  return noop;
}
