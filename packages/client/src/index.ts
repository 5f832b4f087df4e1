export type {
  AckProperties,
  ConnackProperties,
  ConnectProperties,
  Packet,
  PublishProperties,
  QoS,
  SubscribeProperties,
  UnsubscribeProperties,
  UserProperties,
  WillProperties,
} from '@mqttkit/codec';
export type { CloseReason, StateType } from '@mqttkit/state';
export {
  type BackoffPolicy,
  backoffDelay,
  DEFAULT_BACKOFF,
  validateBackoffPolicy,
} from './backoff.js';
export { connect, createClient, MqttClient } from './client.js';
export {
  BeforeConnectError,
  type ClientErrorCode,
  ConnectError,
  ConnectionClosedError,
  describeReason,
  InvalidArgumentError,
  InvalidBackoffError,
  InvalidOptionError,
  ListenerError,
  MqttClientError,
  NotConnectedError,
  OperationAbortedError,
  PacketTooLargeForBrokerError,
  PublishRefusedError,
  QueueFullError,
} from './errors.js';
export type { AbortSignalLike } from './globals.js';
export type {
  ClientInstrumentation,
  DeliveryObserver,
  OutgoingPublish,
  PublishObserver,
  PublishOutcome,
} from './instrumentation.js';
export { type LogFn, type Logger, type LogLevel, noopLogger } from './logger.js';
export { createMemoryStore } from './memory-store.js';
export type { MessagesOptions } from './messages.js';
export type {
  AuthOptions,
  BeforeConnect,
  ClientOptions,
  ConnectAttempt,
  ConnectOverrides,
  QueueOptions,
  ReconnectOptions,
  ServerOptions,
  WillOptions,
} from './options.js';
export type { ReauthenticateOptions, ReauthenticateResult } from './reauthentication.js';
export type { AckInfo, PublishResult, SubscribeResult, UnsubscribeResult } from './session.js';
export type { InflightEntry, InflightStore } from './store.js';
export type {
  ClientStats,
  ConnectResult,
  EndOptions,
  Message,
  MqttClientEvents,
  ProtocolAnomaly,
  PublishOptions,
  RequestOptions,
  ResubscribeOutcome,
  StateChange,
  SubscribeOptions,
  SubscribeResultWithInfo,
  SubscriptionRequest,
  UnsubscribeOptions,
  UnsubscribeResultWithInfo,
} from './types.js';
