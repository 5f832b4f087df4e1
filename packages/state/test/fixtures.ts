/** One representative state per state type and one event per event type. */
import type {
  CloseReason,
  ConnectSettings,
  Event,
  EventType,
  State,
  StateType,
} from '../src/index.js';

export const settings: ConnectSettings = {
  serverCount: 3,
  protocolVersion: 5,
  reconnect: { enabled: true },
};

export const settingsV4: ConnectSettings = { ...settings, protocolVersion: 4 };

export const lost: CloseReason = {
  type: 'transport-closed',
  initiator: 'network',
  willReconnect: true,
};

export const ended: CloseReason = {
  type: 'local-end',
  initiator: 'local',
  force: false,
  willReconnect: false,
};

export const STATES: { readonly [S in StateType]: Extract<State, { type: S }> } = {
  idle: { type: 'idle' },
  connecting: { type: 'connecting', settings, attempt: 2, serverIndex: 1 },
  awaitingConnack: { type: 'awaitingConnack', settings, attempt: 2, serverIndex: 1 },
  connected: { type: 'connected', settings, serverIndex: 2, sessionPresent: true },
  disconnecting: {
    type: 'disconnecting',
    settings,
    cause: { type: 'local-end', initiator: 'local', force: false },
    next: 'stop',
    force: false,
    attempt: 0,
    serverIndex: 2,
  },
  reconnectWait: { type: 'reconnectWait', settings, attempt: 3, serverIndex: 0, reason: lost },
  closed: { type: 'closed', reason: ended },
};

export const EVENTS: { readonly [E in EventType]: Extract<Event, { type: E }> } = {
  connect: { type: 'connect', serverCount: 2, protocolVersion: 4 },
  reconnectNow: { type: 'reconnectNow', serverCount: 2, protocolVersion: 4 },
  end: { type: 'end' },
  abort: { type: 'abort' },
  transportOpened: { type: 'transportOpened' },
  transportClosed: { type: 'transportClosed' },
  connackAccepted: { type: 'connackAccepted', sessionPresent: false },
  connackRefused: { type: 'connackRefused', reasonCode: 0x87 },
  brokerDisconnect: { type: 'brokerDisconnect', reasonCode: 0x8b, reasonString: 'bye' },
  protocolViolation: { type: 'protocolViolation', reasonCode: 0x81, message: 'bad length' },
  keepaliveDead: { type: 'keepaliveDead' },
  connectTimeout: { type: 'connectTimeout' },
  reconnectTimer: { type: 'reconnectTimer' },
};
