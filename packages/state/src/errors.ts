/**
 * Errors of @mqttkit/state. Match on `code`, not `instanceof`: two copies of the package can be
 * loaded at once.
 */

/**
 * Thrown by `transition` for programmer errors only: an event or state that is not one of the
 * documented shapes (unknown `type`, a `serverCount` of 0, a CONNACK "refusal" with code 0...).
 * Events that are merely impossible in the current state are not thrown: they come back as an
 * `ignored` or `rejected` result.
 */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  readonly code = 'MQTTKIT_ERR_STATE_INVALID_INPUT';
}

/**
 * Carried by a `rejected` transition result: the event cannot happen in this state if the runner
 * keeps its contract (for example `transportOpened` while no transport was requested). Not thrown by
 * `transition`; the runner decides whether to log it or throw it.
 */
export class UnexpectedEventError extends Error {
  override readonly name = 'UnexpectedEventError';
  readonly code = 'MQTTKIT_ERR_STATE_UNEXPECTED_EVENT';
  readonly stateType: string;
  readonly eventType: string;

  constructor(stateType: string, eventType: string, why: string) {
    super(`event "${eventType}" unexpected in state "${stateType}": ${why}`);
    this.stateType = stateType;
    this.eventType = eventType;
  }
}
