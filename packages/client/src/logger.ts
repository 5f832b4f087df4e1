/**
 * The logger the client accepts: pino-shaped level methods `(obj, msg)` and an optional `child`.
 * The client never logs passwords, authentication data or payloads; packets are logged by type,
 * packet id and sizes only.
 */
export type LogFn = (obj: Record<string, unknown>, msg?: string) => void;

export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child?: (bindings: Record<string, unknown>) => Logger;
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
