/**
 * What the broker did that the client reports rather than closes for: anomalies (acks for no
 * request, CONNACK properties this CONNECT gave no reason for) and the outcome of each restore of
 * subscriptions. One place counts them for `stats()` and emits the events, so the session and
 * inbound dispatch only say what they saw.
 */
import type { ClientEmitter } from './client-emitter.js';
import type { Logger } from './logger.js';
import type { ProtocolAnomaly, SubscribeResult } from './session/types.js';

export class ProtocolReports {
  readonly #logger: Logger;
  readonly #events: ClientEmitter;
  /** Anomalies tolerated so far. */
  anomalies = 0;
  /** Resubscribed filters the broker refused so far. */
  resubscribeRefused = 0;

  constructor(logger: Logger, events: ClientEmitter) {
    this.#logger = logger;
    this.#events = events;
  }

  anomaly(anomaly: ProtocolAnomaly): void {
    this.anomalies += 1;
    this.#logger.warn({ anomaly }, 'broker anomaly tolerated');
    this.#events.emit('anomaly', anomaly);
  }

  resubscribed(results: SubscribeResult[]): void {
    const refused = results.filter((r) => r.reasonCode >= 0x80);
    this.resubscribeRefused += refused.length;
    this.#events.emit('resubscribe', { results, refused });
  }
}
