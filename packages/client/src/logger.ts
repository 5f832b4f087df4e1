/**
 * The logger the client accepts: pino-shaped level methods `(obj, msg)`, an optional `child`, and
 * an optional `isLevelEnabled`. The client never logs passwords, authentication data or
 * payloads; packets are logged by type, packet id and sizes only.
 */
export type LogFn = (obj: Record<string, unknown>, msg?: string) => void;

/** The levels the client logs at. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** A pino-shaped logger: the client never gives it payloads, passwords or authentication data. */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** A logger whose lines carry `bindings`, when the logger supports it. */
  child?: (bindings: Record<string, unknown>) => Logger;
  /**
   * Whether `level` logs anywhere (pino's `isLevelEnabled`). When present the client asks it
   * before building the log objects of the per-packet trace lines.
   */
  isLevelEnabled?: (level: LogLevel) => boolean;
}

const noop: LogFn = () => {};

/** The default: drops everything. */
export const noopLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
};

/**
 * Whether `trace` logs anywhere: two log objects per packet are not free on the hot path. A
 * logger's own answer wins (a pino logger at `info` has a `trace`, pino's own no-op, that is not
 * ours); without one, only our no-op is known to drop everything. Read once, when the client is
 * made.
 */
export function isTracing(logger: Logger): boolean {
  if (typeof logger.isLevelEnabled === 'function') return logger.isLevelEnabled('trace');
  return logger.trace !== noopLogger.trace;
}
