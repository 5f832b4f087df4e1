/**
 * The public facade: options, typed events, promises with `AbortSignal`. It holds no connection
 * state of its own: the state machine (`@mqttkit/state`, run by `Runner`) decides, the session
 * keeps the QoS flows, the keepalive engine decides when to ping, and this class wires them to
 * one `Connection` at a time.
 */
import {
  type AuthPacket,
  type AuthProperties,
  type CodecError,
  type ConnackPacket,
  type ConnectPacket,
  encode,
  type Packet,
  type PublishPacket,
  type PublishProperties,
} from '@mqttkit/codec/client';
import { createKeepalive, type Keepalive } from '@mqttkit/keepalive';
import {
  type ClientEvent,
  type CloseReason,
  type Event,
  outbound,
  type State,
  type StateType,
} from '@mqttkit/state';
import { abortable } from './abortable.js';
import { checkEncodable, checkV5, publishPacket, subscriptionOf } from './arguments.js';
import { Connection, type ConnectionHandlers } from './connection.js';
import { TypedEmitter } from './emitter.js';
import {
  BeforeConnectError,
  ConnectError,
  ConnectionClosedError,
  hex,
  InvalidArgumentError,
  InvalidOptionError,
  ListenerError,
  NotConnectedError,
  OperationAbortedError,
} from './errors.js';
import { type AbortSignalLike, queueMicrotask, utf8Encode } from './globals.js';
import { checkInbound } from './inbound-rules.js';
import { noopLogger } from './logger.js';
import { createMemoryStore } from './memory-store.js';
import { createMessageIterator, type MessagesOptions } from './messages.js';
import { createOfflineQueue, type OfflineQueue, QueueFullError } from './offline-queue.js';
import {
  type ClientOptions,
  type ConnectOverrides,
  checkType,
  type ResolvedOptions,
  resolveOptions,
} from './options.js';
import { packetLog, redact } from './packet-log.js';
import { Requests } from './requests.js';
import { type HostEffect, Runner } from './runner.js';
import {
  type AckInfo,
  type Deferred,
  type Op,
  type PublishResult,
  Session,
  type SubscribeOp,
  type SubscribeResult,
  type UnsubscribeOp,
  type UnsubscribeResult,
  withAck,
} from './session.js';
import type {
  ClientStats,
  ConnectResult,
  EndOptions,
  Message,
  MqttClientEvents,
  PublishOptions,
  RequestOptions,
  StateChange,
  SubscribeOptions,
  SubscribeResultWithInfo,
  SubscriptionRequest,
  UnsubscribeOptions,
  UnsubscribeResultWithInfo,
} from './types.js';

type QueuedOp = Op;

export class MqttClient extends TypedEmitter<MqttClientEvents> {
  readonly #opts: ResolvedOptions;
  readonly #runner: Runner;
  readonly #session: Session;
  readonly #keepalive: Keepalive;
  /** Made by the first operation queued while offline (most clients never queue one). */
  #queue: OfflineQueue<QueuedOp> | undefined;
  #connection: Connection | undefined;
  #clientId: string;
  #connack: ConnackPacket | undefined;
  /** Whether `trace` logs anywhere: two log objects per packet are not free on the hot path. */
  readonly #tracing: boolean;
  /** What `beforeConnect` returned for the current attempt; read by `connectPacket` only. */
  #attemptOverrides: ConnectOverrides | undefined;
  #connectResult: ConnectResult | undefined;
  #connectWaiters: Array<Deferred<ConnectResult>> = [];
  #endWaiters: Array<() => void> = [];
  #restored: Promise<void> | undefined;
  #reconnects = 0;
  /** Made by the first `request()`. */
  #requestState: Requests | undefined;
  /**
   * QoS 0 publishes resolve once the transport accepted their bytes below its high-water mark;
   * above it they wait here for `onDrain` (or the link's end).
   */
  #drainWaiters: Array<() => void> = [];
  #transportFull = false;
  /** Acks held until their message's handlers settle (`ackAfterHandler`), in arrival order. */
  #heldAcks: Array<{ packets: Packet[]; ready: boolean }> = [];

  constructor(options: ClientOptions) {
    super();
    this.#opts = resolveOptions(options);
    this.#tracing = this.#opts.logger.trace !== noopLogger.trace;
    const opts = this.#opts;
    this.#clientId = opts.clientId;
    try {
      // Will, properties, credentials: a CONNECT that cannot be encoded is an option error now,
      // not a connect timeout later.
      encode(this.#connectPacket(), { protocolVersion: opts.protocolVersion });
    } catch (error) {
      throw new InvalidOptionError('options', 'an encodable CONNECT', {
        cause: error,
      });
    }
    this.#session = new Session({
      protocolVersion: opts.protocolVersion,
      store: opts.store ?? createMemoryStore(),
      measure: (packet) => encode(packet, { protocolVersion: opts.protocolVersion }).length,
      logger: opts.logger,
      incomingAliasMaximum: opts.incomingAliasMaximum,
      outgoingTopicAliases: opts.outgoingTopicAliases,
      resubscribe: opts.resubscribe,
      onPersisted: () => this.#write(this.#session.resume()),
    });
    // One engine for the client's lifetime: it keeps the last PINGREQ time across reconnects, so
    // two PINGREQs are never closer than one keepalive (peer-failures.md item 3).
    this.#keepalive = createKeepalive({
      keepaliveMs: opts.keepaliveSeconds * 1000,
      ...(opts.pingTimeoutMs === undefined ? {} : { pingTimeoutMs: opts.pingTimeoutMs }),
      scheduler: opts.scheduler,
      sendPing: () => this.#write([{ cmd: 'pingreq' }]),
      onDead: () => this.#runner.dispatch({ type: 'keepaliveDead' }),
    });
    this.#runner = new Runner((effect) => this.#perform(effect), {
      scheduler: opts.lifecycleScheduler,
      connectTimeoutMs: opts.connectTimeoutMs,
      backoff: opts.reconnect === false ? undefined : opts.reconnect.policy,
      random: opts.random,
      logger: opts.logger,
    });
  }

  /** The connection state (one value of the state machine). */
  get state(): StateType {
    return this.#runner.state.type;
  }

  /** The full state machine value (with its close reason where there is one). */
  get stateDetail(): State {
    return this.#runner.state;
  }

  /** Whether packets can be sent right now. */
  get connected(): boolean {
    return this.#runner.state.type === 'connected';
  }

  /**
   * Connects. Resolves on an accepted CONNACK; rejects with `ConnectError` (carrying the
   * `CloseReason`) when the machine stops without connecting. Transient failures with reconnect
   * on keep it pending while `close` events report each attempt.
   */
  async connect(options: { signal?: AbortSignalLike } = {}): Promise<ConnectResult> {
    const { signal } = options;
    if (signal?.aborted) {
      throw new ConnectError({ type: 'aborted', initiator: 'local', willReconnect: false });
    }
    if (this.#runner.state.type === 'connected' && this.#connectResult) return this.#connectResult;
    if (this.#opts.store && !this.#restored) this.#restored = this.#session.restore();
    if (this.#restored) await this.#restored;
    return new Promise<ConnectResult>((resolve, reject) => {
      const onAbort = (): void => this.#runner.dispatch({ type: 'abort' });
      this.#connectWaiters.push(abortable(signal, onAbort, resolve, reject));
      this.#runner.dispatch(this.#connectEvent());
      // `connect` is ignored while a connection is on its way: the waiter rides on that one.
    });
  }

  /**
   * Publishes. QoS 0 resolves once written; QoS 1/2 when the flow completes, with the broker's
   * reason code. A failure code (MQTT 5 PUBACK/PUBREC >= 0x80) rejects with
   * `PublishRefusedError`; the connection stays up.
   */
  publish(
    topic: string,
    payload: string | Uint8Array,
    options: PublishOptions = {},
  ): Promise<PublishResult> {
    let packet: PublishPacket;
    try {
      packet = publishPacket(topic, payload, options, this.#opts.protocolVersion);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#submit<PublishResult>(
      { kind: 'publish', packet, deferred: undefined },
      options.signal,
    );
  }

  /** Subscribes. Resolves with one result per filter; a refusal (>= 0x80) is a result. */
  async subscribe(
    filters: string | SubscriptionRequest | ReadonlyArray<string | SubscriptionRequest>,
    options: SubscribeOptions = {},
  ): Promise<SubscribeResultWithInfo[]> {
    const list = Array.isArray(filters) ? filters : [filters];
    const subscriptions = list.map((f: string | SubscriptionRequest) =>
      subscriptionOf(f, options.qos ?? 0, this.#opts.protocolVersion),
    );
    return this.#ackable<SubscribeResult>('subscribe', { subscriptions }, options);
  }

  /** Unsubscribes. Resolves with one result per filter (MQTT 5 0x11 "no subscription" is a result). */
  async unsubscribe(
    filters: string | ReadonlyArray<string>,
    options: UnsubscribeOptions = {},
  ): Promise<UnsubscribeResultWithInfo[]> {
    const topicFilters = typeof filters === 'string' ? [filters] : [...filters];
    return this.#ackable<UnsubscribeResult>('unsubscribe', { topicFilters }, options);
  }

  /**
   * Ends the connection (DISCONNECT, then close; `force` destroys at once) and stops
   * reconnecting. Resolves once closed. Pending operations reject with `ConnectionClosedError`.
   * `connect()` works again afterwards.
   */
  end(options: EndOptions = {}): Promise<void> {
    // A local end forgets what to resubscribe: a later connect() starts from the caller's calls.
    this.#session.forgetSubscriptions();
    const type = this.#runner.state.type;
    if (type === 'idle' || type === 'closed') return Promise.resolve();
    const { signal } = options;
    const escalate = (): void => this.#runner.dispatch({ type: 'end', force: true });
    const promise = new Promise<void>((resolve) => {
      this.#endWaiters.push(abortable<void>(signal, escalate, resolve, () => {}).resolve);
    });
    if (signal?.aborted) escalate();
    this.#runner.dispatch(
      options.reasonCode === undefined
        ? { type: 'end', force: options.force === true }
        : { type: 'end', force: options.force === true, reasonCode: options.reasonCode },
    );
    return promise;
  }

  /**
   * Reconnects now: during a backoff wait, retries at once; while connected, closes gracefully
   * and opens a new link. The in-flight store is kept either way.
   */
  reconnect(): void {
    const type = this.#runner.state.type;
    if (type === 'connected') this.#runner.dispatch({ type: 'end' });
    this.#runner.dispatch(this.#connectEvent());
  }

  stats(): ClientStats {
    const k = this.#keepalive.stats();
    return {
      reconnects: this.#reconnects,
      pingsSent: k.pingsSent,
      pongsReceived: k.pongsReceived,
      lastRttMs: k.lastRttMs,
      inflight: this.#session.inflightCount,
      queued: (this.#queue?.length ?? 0) + this.#session.waitingCount,
    };
  }

  /**
   * Incoming messages matching `filter` (all when omitted) as an async iterator. It does not
   * subscribe; it ends when the client ends. The buffer is bounded (`messageBufferSize`).
   */
  messages(filter?: string, options: MessagesOptions = {}): AsyncIterableIterator<Message> {
    return createMessageIterator(
      (listener) => {
        this.on('message', listener);
        return () => {
          this.off('message', listener);
        };
      },
      (listener) => {
        this.on('end', listener);
        return () => {
          this.off('end', listener);
        };
      },
      filter,
      { bufferSize: options.bufferSize ?? this.#opts.messageBufferSize, ...options },
      this.#opts.logger,
    );
  }

  /**
   * MQTT 5 request/response: publishes with a Response Topic and fresh Correlation Data, and
   * resolves with the first message on the response topic carrying that Correlation Data. The
   * response topic is subscribed once (QoS 1) and kept.
   */
  async request(
    topic: string,
    payload: string | Uint8Array,
    options: RequestOptions = {},
  ): Promise<Message> {
    if (this.#opts.protocolVersion !== 5) {
      throw new InvalidArgumentError('request() needs protocolVersion 5 (Response Topic)');
    }
    const { signal } = options;
    if (signal?.aborted) throw new OperationAbortedError(false, signal.reason);
    this.#requestState ??= new Requests(this.#opts.random);
    const requests = this.#requestState;
    const responseTopic = options.responseTopic ?? requests.defaultResponseTopic();
    if (!requests.isSubscribed(responseTopic)) {
      const [result] = await this.subscribe(
        { topicFilter: responseTopic, qos: 1 },
        signal ? { signal } : {},
      );
      if (result && result.reasonCode >= 0x80) {
        throw new InvalidArgumentError(
          `response topic subscription refused (${hex(result.reasonCode)})`,
        );
      }
      if (requests.subscribed(responseTopic)) {
        this.on('message', (m) => requests.match(m));
      }
    }
    const { correlationData, reply, cancel } = requests.register(signal);
    try {
      await this.publish(topic, payload, {
        qos: options.qos ?? 1,
        properties: { ...options.properties, responseTopic, correlationData },
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      cancel();
      throw error;
    }
    return reply;
  }

  /** Answers a request message: publishes to its Response Topic with its Correlation Data. */
  respond(
    request: Message,
    payload: string | Uint8Array,
    options: PublishOptions = {},
  ): Promise<PublishResult> {
    const responseTopic = request.properties?.responseTopic;
    if (responseTopic === undefined) {
      return Promise.reject(new InvalidArgumentError('the message has no Response Topic'));
    }
    const properties: PublishProperties = { ...options.properties };
    const correlationData = request.properties?.correlationData;
    if (correlationData !== undefined) properties.correlationData = correlationData;
    return this.publish(responseTopic, payload, { ...options, properties });
  }

  // --- operations -----------------------------------------------------------------------------

  /** SUBSCRIBE or UNSUBSCRIBE, once its filters are checked: one result per filter. */
  async #ackable<R extends object>(
    cmd: 'subscribe' | 'unsubscribe',
    fields: Pick<SubscribeOp, 'subscriptions'> | Pick<UnsubscribeOp, 'topicFilters'>,
    { properties, signal }: SubscribeOptions | UnsubscribeOptions,
  ): Promise<Array<R & AckInfo>> {
    const filters = 'subscriptions' in fields ? fields.subscriptions : fields.topicFilters;
    if (filters.length === 0) throw new InvalidArgumentError(`${cmd} needs at least one filter`);
    const protocolVersion = this.#opts.protocolVersion;
    checkV5(`${cmd} properties`, properties, protocolVersion);
    checkEncodable(
      { cmd, packetId: 1, ...fields, ...(properties ? { properties } : {}) } as Packet,
      protocolVersion,
    );
    const out = await this.#submit<{ results: R[] } & AckInfo>(
      // `internal` is read of SUBSCRIBEs only: a caller's is never an internal resubscribe.
      { kind: cmd, ...fields, properties, deferred: undefined, internal: false } as Op,
      signal,
    );
    return out.results.map((r) => withAck({ ...r }, out.properties));
  }

  #submit<T>(op: Op, signal: AbortSignalLike | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new OperationAbortedError(false, signal.reason));
        return;
      }
      const onAbort = (): void => {
        const removed = this.#queue?.remove(op) === true || this.#session.cancel(op);
        const deferred = op.deferred;
        op.deferred = undefined;
        deferred?.reject(new OperationAbortedError(!removed, signal?.reason));
      };
      (op as { deferred: Deferred<T> | undefined }).deferred = abortable(
        signal,
        onAbort,
        resolve,
        reject,
      );
      const decision = outbound(this.#runner.state);
      if (decision.action === 'send') {
        this.#send(op);
        return;
      }
      const queueOptions = this.#opts.queue;
      if (decision.action === 'reject' || queueOptions === false) {
        op.deferred?.reject(
          new NotConnectedError(decision.action === 'reject' ? decision.why : 'offline'),
        );
        return;
      }
      this.#queue ??= createOfflineQueue<QueuedOp>(queueOptions, queuedBytes);
      const pushed = this.#queue.push(op);
      if (!pushed.accepted) {
        op.deferred?.reject(new QueueFullError(false));
        return;
      }
      for (const dropped of pushed.dropped ?? [])
        dropped.deferred?.reject(new QueueFullError(true));
    });
  }

  #drained(): void {
    this.#transportFull = false;
    for (const resolve of this.#drainWaiters.splice(0)) resolve();
  }

  #send(op: Op): void {
    if (op.kind === 'publish' && op.packet.qos === 0 && op.deferred) {
      // The session resolves a QoS 0 publish as it hands it over; hold that until the bytes are
      // accepted below the high-water mark, so a fast producer feels the transport's backpressure.
      const deferred = op.deferred;
      op.deferred = {
        resolve: (value) =>
          queueMicrotask(() => {
            if (this.#transportFull) this.#drainWaiters.push(() => deferred.resolve(value));
            else deferred.resolve(value);
          }),
        reject: deferred.reject,
      };
    }
    this.#write(op.kind === 'publish' ? this.#session.publish(op) : this.#session.sendAckable(op));
  }

  // --- effects --------------------------------------------------------------------------------

  /**
   * One link's events, handled by the client. Prototype methods on a small object, rather than
   * a handful of closures, because a process may hold thousands of idle links.
   */
  static readonly #LinkEvents = class LinkEvents implements ConnectionHandlers {
    readonly #client: MqttClient;
    /** The link these events are for (set once it is made): a newer one may replace it. */
    connection: Connection | undefined;

    constructor(client: MqttClient) {
      this.#client = client;
    }

    onOpen(): void {
      this.#client.#runner.dispatch({ type: 'transportOpened' });
    }

    onPacket(packet: Packet): void {
      this.#client.#receive(packet);
    }

    onDecodeError(error: CodecError): void {
      this.#client.#decodeFailed(error);
    }

    onDrain(): void {
      this.#client.#drained();
    }

    onClose(error: unknown): void {
      const client = this.#client;
      if (client.#connection === this.connection) client.#connection = undefined;
      // QoS 0 is at most once: what waited for a drain is settled (its bytes are gone).
      client.#drained();
      // Acks belong to the link their PUBLISH came on; the broker resends on the next one.
      client.#heldAcks = [];
      client.#session.disconnected();
      client.#runner.dispatch(
        error === undefined
          ? { type: 'transportClosed' }
          : { type: 'transportClosed', error, retryable: isRetryable(error) },
      );
    }
  };

  #perform(effect: HostEffect): void {
    switch (effect.type) {
      case 'openTransport':
        this.#openTransport(effect.serverIndex, effect.attempt);
        return;
      case 'closeTransport':
        this.#connection?.close(effect.force);
        return;
      case 'sendConnect':
        this.#write([this.#connectPacket()]);
        return;
      case 'sendDisconnect':
        this.#write([
          this.#opts.protocolVersion === 5
            ? { cmd: 'disconnect', reasonCode: effect.reasonCode }
            : { cmd: 'disconnect' },
        ]);
        return;
      case 'startKeepalive':
        this.#startKeepalive();
        return;
      case 'stopKeepalive':
        this.#keepalive.stop();
        return;
      case 'flushQueue':
        this.#flush();
        return;
      case 'rejectPending':
        this.#rejectPending(effect.reason);
        return;
      case 'emit':
        this.#forward(effect.event);
        return;
    }
  }

  #openTransport(serverIndex: number, attempt: number): void {
    const url = this.#opts.servers[serverIndex] as string;
    // Overrides belong to one attempt: a hook that returns nothing this time gets the options.
    this.#attemptOverrides = undefined;
    const events = new MqttClient.#LinkEvents(this);
    const connection = new Connection(
      {
        url,
        protocolVersion: this.#opts.protocolVersion,
        maxPacketSize: this.#opts.maxPacketSize,
        // The machine's connect timer (open + CONNACK) decides; the transport's own limit is a
        // backstop, so the close reason is `connect-timeout` rather than a transport error.
        connectTimeoutMs: this.#opts.connectTimeoutMs + 1000,
        tls: this.#opts.tls,
        ws: this.#opts.ws,
      },
      events,
    );
    events.connection = connection;
    this.#connection = connection;
    this.#connack = undefined;
    this.#opts.logger.debug({ serverIndex }, 'opening transport');
    const hook = this.#opts.beforeConnect;
    // The hook runs inside the attempt (the machine's connect timer is already running, and
    // `end()` closes the connection), so its failure takes the transport-error path: a typed
    // close reason, then the reconnect policy. Its result is never logged: it holds credentials.
    connection.open(
      hook &&
        (async (signal) => {
          let overrides: ConnectOverrides | undefined;
          try {
            overrides = (await hook({ attempt, serverIndex, signal })) ?? undefined;
            if (overrides !== undefined) {
              checkOverrides(overrides, this.#opts.protocolVersion);
              // What the options allow may not hold with the overrides (a password without a
              // username under 3.1.1): found here, it is the hook's error, not a stuck attempt.
              encode(this.#connectPacket(overrides), {
                protocolVersion: this.#opts.protocolVersion,
              });
            }
          } catch (error) {
            throw new BeforeConnectError(error);
          }
          // A late answer for an attempt already abandoned must not touch the current one.
          if (this.#connection === connection) this.#attemptOverrides = overrides;
          return overrides?.url;
        }),
    );
  }

  #connectPacket(over = this.#attemptOverrides): ConnectPacket {
    const o = this.#opts;
    const packet: ConnectPacket = {
      cmd: 'connect',
      clientId: this.#clientId,
      clean: o.clean,
      keepalive: o.keepaliveSeconds,
    };
    const username = over?.username ?? o.username;
    if (username !== undefined) packet.username = username;
    const password =
      typeof over?.password === 'string'
        ? utf8Encode(over.password)
        : (over?.password ?? o.password);
    if (password !== undefined) packet.password = password;
    if (o.will) {
      packet.will = {
        topic: o.will.topic,
        payload: typeof o.will.payload === 'string' ? utf8Encode(o.will.payload) : o.will.payload,
        qos: o.will.qos ?? 0,
        retain: o.will.retain ?? false,
        ...(o.will.properties ? { properties: o.will.properties } : {}),
      };
    }
    if (over?.properties) packet.properties = { ...o.connectProperties, ...over.properties };
    else if (o.connectProperties) packet.properties = o.connectProperties;
    return packet;
  }

  #startKeepalive(): void {
    // MQTT 5 Server Keep Alive replaces ours [MQTT-3.2.2-21].
    const server = this.#connack?.properties?.serverKeepAlive;
    this.#keepalive.setKeepalive((server ?? this.#opts.keepaliveSeconds) * 1000);
    this.#keepalive.start();
  }

  #flush(): void {
    const props = this.#connack?.properties;
    const packets = this.#session.connected({
      sessionPresent: this.#connack?.sessionPresent ?? false,
      receiveMaximum: props?.receiveMaximum ?? 65_535,
      maximumPacketSize: props?.maximumPacketSize,
      topicAliasMaximum: props?.topicAliasMaximum ?? 0,
    });
    this.#write(packets);
    // Then what was queued while offline, in order.
    for (const op of this.#queue?.drain() ?? []) this.#send(op);
  }

  #rejectPending(reason: CloseReason): void {
    this.#session.rejectAll((written) => new ConnectionClosedError(reason, written));
    for (const op of this.#queue?.drain() ?? []) {
      op.deferred?.reject(new ConnectionClosedError(reason, false));
    }
    this.#requestState?.rejectAll(new ConnectionClosedError(reason, true));
  }

  #forward(event: ClientEvent): void {
    switch (event.type) {
      case 'state': {
        const change: StateChange =
          event.reason === undefined
            ? { from: event.from, to: event.to }
            : { from: event.from, to: event.to, reason: event.reason };
        this.#opts.logger.debug(
          { from: event.from, to: event.to, reason: event.reason?.type },
          'state',
        );
        if (event.to === 'closed' || event.from === 'disconnecting') {
          for (const resolve of this.#endWaiters.splice(0)) resolve();
        }
        this.emit('state', change);
        return;
      }
      case 'connect': {
        if (event.attempt > 0) this.#reconnects++;
        const result: ConnectResult = {
          sessionPresent: event.sessionPresent,
          serverIndex: event.serverIndex,
          attempt: event.attempt,
        };
        if (this.#connack?.properties) result.properties = this.#connack.properties;
        this.#connectResult = result;
        for (const waiter of this.#connectWaiters.splice(0)) waiter.resolve(result);
        this.emit('connect', result);
        return;
      }
      case 'offline':
        this.emit('offline', event.reason);
        return;
      case 'close':
        this.#opts.logger.info({ reason: event.reason.type }, 'connection closed');
        this.emit('close', event.reason);
        return;
      case 'end':
        for (const waiter of this.#connectWaiters.splice(0)) {
          waiter.reject(new ConnectError(event.reason));
        }
        this.emit('end', event.reason);
        return;
    }
  }

  // --- inbound --------------------------------------------------------------------------------

  #receive(packet: Packet): void {
    const type = this.#runner.state.type;
    // Late packets of a link we are closing are dropped, as the machine drops their events.
    if (type !== 'awaitingConnack' && type !== 'connected') return;
    if (this.#tracing) this.#opts.logger.trace(packetLog(packet), 'packet received');
    if (packet.cmd === 'pingresp') this.#keepalive.pingAnswered();
    else this.#keepalive.packetReceived();
    this.emit('packetreceive', packet);
    const violation = checkInbound(packet, {
      protocolVersion: this.#opts.protocolVersion,
      connackReceived: type === 'connected',
      // An enhanced-authentication exchange runs from CONNECT (with a method) to CONNACK.
      awaitingAuth: type === 'awaitingConnack' && this.#opts.auth !== undefined,
    });
    if (violation) {
      this.#runner.dispatch({ type: 'protocolViolation', ...violation });
      return;
    }
    switch (packet.cmd) {
      case 'connack':
        this.#receiveConnack(packet);
        return;
      case 'disconnect': {
        const reasonString = packet.properties?.reasonString;
        this.#runner.dispatch(
          reasonString === undefined
            ? { type: 'brokerDisconnect', reasonCode: packet.reasonCode ?? 0 }
            : { type: 'brokerDisconnect', reasonCode: packet.reasonCode ?? 0, reasonString },
        );
        return;
      }
      case 'pingresp':
        return;
      case 'auth':
        this.#answerAuth(packet);
        return;
      default:
        break;
    }
    const result = this.#session.receive(packet);
    if (result.violation) {
      this.#write(result.send);
      this.#runner.dispatch({ type: 'protocolViolation', ...result.violation });
      return;
    }
    if (!result.message) {
      this.#write(result.send);
      return;
    }
    if (!this.#opts.ackAfterHandler || result.message.qos === 0) {
      this.#write(result.send);
      this.#deliver(result.message);
      return;
    }
    // [MQTT-4.6.0-2]: acks leave in the order their PUBLISH arrived, so a held ack also holds
    // the ones behind it.
    const held = { packets: result.send, ready: false };
    this.#heldAcks.push(held);
    const waits = this.#deliver(result.message);
    const release = (): void => {
      held.ready = true;
      this.#flushHeldAcks();
    };
    if (waits.length === 0) release();
    else {
      void Promise.all(waits).then(release);
    }
  }

  #answerAuth(packet: AuthPacket): void {
    const auth = this.#opts.auth;
    // Only a "Continue authentication" during CONNECT is answered; re-authentication is not
    // supported yet, and checkInbound has refused AUTH outside an exchange.
    if (!auth || packet.reasonCode !== 0x18 || this.#runner.state.type !== 'awaitingConnack')
      return;
    const connection = this.#connection;
    const challenge = {
      data: packet.properties?.authenticationData,
      reasonString: packet.properties?.reasonString,
    };
    Promise.resolve()
      .then(() => auth.onChallenge(challenge))
      .then(
        (data) => {
          if (this.#connection !== connection) return;
          const properties: AuthProperties = { authenticationMethod: auth.method };
          if (data !== undefined) properties.authenticationData = data;
          this.#write([{ cmd: 'auth', reasonCode: 0x18, properties }]);
        },
        (error: unknown) => {
          if (this.#connection !== connection) return;
          this.emit('error', error);
          // 0x80 Unspecified error: the application could not continue the exchange.
          this.#runner.dispatch({ type: 'end', reasonCode: 0x80 });
        },
      );
  }

  #flushHeldAcks(): void {
    while (this.#heldAcks[0]?.ready) {
      const held = this.#heldAcks.shift() as { packets: Packet[] };
      this.#write(held.packets);
    }
  }

  #receiveConnack(packet: ConnackPacket): void {
    if (packet.reasonCode !== 0) {
      this.#runner.dispatch({ type: 'connackRefused', reasonCode: packet.reasonCode });
      return;
    }
    this.#connack = packet;
    const assigned = packet.properties?.assignedClientIdentifier;
    // Reconnect under the id the broker gave us, so the session can resume.
    if (assigned !== undefined && this.#clientId === '') this.#clientId = assigned;
    this.#runner.dispatch({ type: 'connackAccepted', sessionPresent: packet.sessionPresent });
  }

  /** Emits `message`; returns promises settling with the ones its listeners returned. */
  #deliver(packet: PublishPacket): Promise<void>[] {
    const message: Message = {
      topic: packet.topic,
      payload: packet.payload,
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
    };
    if (packet.packetId !== undefined) message.packetId = packet.packetId;
    if (packet.properties) {
      const { topicAlias: _alias, ...properties } = packet.properties;
      message.properties = properties;
    }
    const results = this.emitCollect('message', message) ?? [];
    // A listener's promise that rejects is reported on `error`, never left unhandled.
    const waits: Promise<void>[] = [];
    for (const r of results) {
      if (
        typeof r !== 'object' ||
        r === null ||
        typeof (r as { then?: unknown }).then !== 'function'
      ) {
        continue;
      }
      waits.push(
        Promise.resolve(r as PromiseLike<unknown>).then(
          () => undefined,
          (error: unknown) => this.#listenerThrew('message', error),
        ),
      );
    }
    return waits;
  }

  #decodeFailed(error: CodecError): void {
    // The codec's code goes into our DISCONNECT: 0x81 malformed, 0x82 forbidden, 0x95 above the
    // Maximum Packet Size we announced [MQTT-3.1.2-24].
    const reasonCode =
      error.reasonCode === 0x81 || error.reasonCode === 0x95 ? error.reasonCode : 0x82;
    this.#runner.dispatch({ type: 'protocolViolation', reasonCode, message: error.message });
  }

  // --- plumbing -------------------------------------------------------------------------------

  #write(packets: readonly Packet[]): void {
    const connection = this.#connection;
    for (const packet of packets) {
      let written: boolean;
      try {
        const result = connection?.write(packet) ?? 'dropped';
        if (result === 'full') this.#transportFull = true;
        written = result !== 'dropped';
      } catch (error) {
        // Packets are validated when an operation is made; an encode failure here is a bug, and
        // must not escape into the network path.
        this.#opts.logger.error(
          { err: error, ...packetLog(packet) },
          'packet could not be encoded',
        );
        this.emit('error', error);
        // Without its CONNECT the attempt could only wait for the connect timeout: end it now, as
        // a transport error carrying the encoder's reason.
        if (packet.cmd === 'connect') connection?.fail(error);
        continue;
      }
      if (!written) {
        this.#opts.logger.debug(packetLog(packet), 'packet dropped: no open link');
        continue;
      }
      this.#keepalive.packetSent();
      if (this.#tracing) this.#opts.logger.trace(packetLog(packet), 'packet sent');
      this.emit('packetsend', redact(packet));
    }
  }

  #connectEvent(): Event {
    const r = this.#opts.reconnect;
    return {
      type: 'connect',
      serverCount: this.#opts.servers.length,
      protocolVersion: this.#opts.protocolVersion,
      reconnect:
        r === false
          ? { enabled: false }
          : {
              enabled: true,
              retryRefusals: r.retryRefusals,
              ...(r.maxAttempts === undefined ? {} : { maxAttempts: r.maxAttempts }),
            },
    };
  }

  protected override listenerFailed(event: keyof MqttClientEvents, error: unknown): void {
    this.#listenerThrew(String(event), error);
  }

  #listenerThrew(event: string, error: unknown): void {
    if (event === 'error') {
      this.#opts.logger.error({ err: error }, 'an error listener threw');
      return;
    }
    this.emit('error', new ListenerError(event, error));
  }
}

/** What an operation weighs against the queue's byte bound: a publish's payload. */
function queuedBytes(op: QueuedOp): number {
  return op.kind === 'publish' ? op.packet.payload.length : 0;
}

/** Creates a client without connecting. */
export function createClient(options: ClientOptions): MqttClient {
  return new MqttClient(options);
}

/** Creates a client and connects; rejects (and ends the client) when the connect fails. */
export async function connect(
  url: string,
  options: Omit<ClientOptions, 'url'> & { signal?: AbortSignalLike } = {},
): Promise<MqttClient> {
  const { signal, ...rest } = options;
  const client = createClient({ ...rest, url });
  await client.connect(signal ? { signal } : {});
  return client;
}

/** Rejects what `beforeConnect` returned when it cannot make a CONNECT (its values unquoted). */
function checkOverrides(overrides: ConnectOverrides, protocolVersion: 4 | 5): void {
  if (typeof overrides !== 'object' || overrides === null) {
    throw new InvalidOptionError('beforeConnect', '{ url?, username?, password?, properties? }');
  }
  const { url, username, password, properties } = overrides;
  checkType('beforeConnect url', url, 'string');
  checkType('beforeConnect username', username, 'string');
  if (password !== undefined && typeof password !== 'string' && !(password instanceof Uint8Array)) {
    throw new InvalidOptionError('beforeConnect password', 'a string or Uint8Array');
  }
  if (properties !== undefined && protocolVersion !== 5) {
    throw new InvalidOptionError(
      'beforeConnect properties',
      'no MQTT 5 properties under protocolVersion 4',
    );
  }
}

/**
 * The transport's word on whether the same open may succeed again (`TransportError.retryable`:
 * false for a certificate failing verification or a bad URL). Read as a property, not by class,
 * since two copies of the transport package may be loaded.
 */
function isRetryable(error: unknown): boolean {
  return !(
    typeof error === 'object' &&
    error !== null &&
    Reflect.get(error, 'retryable') === false
  );
}
