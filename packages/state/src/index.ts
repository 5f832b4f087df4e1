export {
  CLOSE_REASON_TYPES,
  type CloseCause,
  type CloseReason,
  type CloseReasonType,
  type Initiator,
  PROTOCOL_VIOLATION_CODES,
  type ProtocolViolationCode,
} from './close-reason.js';
export type { ClientEvent, Effect, EffectType } from './effects.js';
export { InvalidInputError, UnexpectedEventError } from './errors.js';
export {
  type AbortEvent,
  type BrokerDisconnectEvent,
  type ConnackAcceptedEvent,
  type ConnackRefusedEvent,
  type ConnectEvent,
  type ConnectTimeoutEvent,
  type EndEvent,
  EVENT_TYPES,
  type Event,
  type EventOf,
  type EventType,
  type KeepaliveDeadEvent,
  type ProtocolViolationEvent,
  type ReconnectNowEvent,
  type ReconnectTimerEvent,
  type TransportClosedEvent,
  type TransportOpenedEvent,
} from './events.js';
export { type InboundDecision, inbound, isStopped } from './inbound.js';
export { type OutboundDecision, outbound } from './outbound.js';
export {
  CONNACK_V4_RULES,
  CONNACK_V5_RULES,
  DISCONNECT_V5_RULES,
  type ReasonCodeRule,
} from './reason-codes.js';
export { isTransient, type ReconnectPolicy, shouldReconnect } from './reconnect.js';
export type { ConnectOptions, ConnectSettings } from './settings.js';
export {
  type AwaitingConnackState,
  type ClosedState,
  type ConnectedState,
  type ConnectingState,
  type DisconnectingNext,
  type DisconnectingState,
  type IdleState,
  initialState,
  type ReconnectWaitState,
  STATE_TYPES,
  type State,
  type StateOf,
  type StateType,
} from './states.js';
export type { Step } from './steps.js';
export { type TransitionResult, transition } from './transition.js';
export { type Rule, TRANSITION_TABLE, type TransitionTable } from './transition-table.js';
export { fallBackToV4, isVersionRefusal, linkVersion } from './version.js';
