/** The machine's `connect` (or `reconnectNow`) event: what a new connection starts with. */
import type { EventOf } from '@mqttkit/state';
import type { ResolvedOptions } from './options.js';

export function connectEvent<T extends 'connect' | 'reconnectNow'>(
  type: T,
  opts: ResolvedOptions,
): EventOf<T> {
  const r = opts.reconnect;
  const event: EventOf<'connect' | 'reconnectNow'> = {
    type,
    serverCount: opts.servers.length,
    protocolVersion: opts.protocolVersion,
    negotiateVersion: opts.negotiateVersion,
    reconnect:
      r === false
        ? { enabled: false }
        : {
            enabled: true,
            retryRefusals: r.retryRefusals,
            ...(r.maxAttempts === undefined ? {} : { maxAttempts: r.maxAttempts }),
          },
  };
  // `type` is T, so the event is EventOf<T>; TypeScript does not narrow a union by a generic.
  return event as EventOf<T>;
}
