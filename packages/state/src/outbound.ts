/**
 * Whether the client may send an operation now: the question the peer's stale `disconnecting`
 * flag answered wrongly. Derived from the state alone, so it cannot disagree with it.
 */
import type { State } from './states.js';

/** What an operation of the application does in a state: `outbound()`'s answer. */
export type OutboundDecision =
  /** Connected: write it. */
  | { readonly action: 'send' }
  /** A connection is on its way: keep it in the offline queue (or reject, per client options). */
  | { readonly action: 'queue' }
  /** No connection will come without a `connect()`. */
  | { readonly action: 'reject'; readonly why: 'idle' | 'disconnecting' | 'closed' };

/** Whether an operation is sent now, queued, or rejected in `state`. */
export function outbound(state: State): OutboundDecision {
  switch (state.type) {
    case 'connected':
      return { action: 'send' };
    case 'connecting':
    case 'awaitingConnack':
    case 'reconnectWait':
      return { action: 'queue' };
    case 'disconnecting':
      // A connect() called during the close, or a planned reconnect, makes a new link follow.
      return state.next === 'stop'
        ? { action: 'reject', why: 'disconnecting' }
        : { action: 'queue' };
    case 'idle':
      return { action: 'reject', why: 'idle' };
    case 'closed':
      return { action: 'reject', why: 'closed' };
  }
}
