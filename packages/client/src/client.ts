/**
 * The public facade: options, typed events, promises with `AbortSignal`. It holds no connection
 * state of its own and makes the parts that do: the state machine (`@mqttkit/state`, run by
 * `Runner`) decides; the effects executor carries out its decisions over one link at a time
 * (`Link`); inbound dispatch reads what the broker sends; the outbox writes and owns write
 * backpressure; `Operations` takes the callers' operations to the session, which keeps the QoS
 * flows; the keepalive engine decides when to ping.
 */
import { encode, type PublishPacket, type PublishProperties } from '@mqttkit/codec/client';
import { createKeepalive, type Keepalive } from '@mqttkit/keepalive';
import { isStopped, outbound, type State, type StateType } from '@mqttkit/state';
import { abortable } from './abortable.js';
import { publishPacket, subscriptionOf } from './arguments.js';
import { type ClientEmitter, listenerThrew } from './client-emitter.js';
import { connectEvent } from './connect-event.js';
import { ConnectPackets } from './connect-packet.js';
import { EffectsExecutor } from './effects-executor.js';
import { type ArgsOf, TypedEmitter } from './emitter.js';
import {
  ConnectError,
  hex,
  InvalidArgumentError,
  NotConnectedError,
  OperationAbortedError,
} from './errors.js';
import type { AbortSignalLike } from './globals.js';
import { InboundDispatch } from './inbound-dispatch.js';
import { InboundFlow } from './inbound-flow.js';
import { type ClientInstrumentation, deliverObserved, publishObserved } from './instrumentation.js';
import { LifecycleEvents } from './lifecycle-events.js';
import { createMemoryStore } from './memory-store.js';
import { createMessageIterator, type MessagesOptions } from './messages.js';
import { Operations } from './operations.js';
import { type ClientOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { Outbox } from './outbox.js';
import { ProtocolReports } from './protocol-reports.js';
import {
  type ReauthenticateOptions,
  type ReauthenticateResult,
  Reauthentication,
} from './reauthentication.js';
import { Runner } from './runner.js';
import {
  type PublishResult,
  Session,
  type SubscribeResult,
  type UnsubscribeResult,
} from './session.js';
import type {
  ClientStats,
  ConnectResult,
  EndOptions,
  Message,
  MqttClientEvents,
  PublishOptions,
  RequestOptions,
  SubscribeOptions,
  SubscribeResultWithInfo,
  SubscriptionRequest,
  UnsubscribeOptions,
  UnsubscribeResultWithInfo,
} from './types.js';

/**
 * An MQTT 3.1.1 / 5.0 client: one connection state machine, typed close reasons, reconnect, offline
 * queue. Made by `createClient`.
 */
export class MqttClient extends TypedEmitter<MqttClientEvents> {
  readonly #opts: ResolvedOptions;
  readonly #runner: Runner;
  readonly #session: Session;
  readonly #keepalive: Keepalive;
  readonly #outbox: Outbox;
  readonly #operations: Operations;
  readonly #lifecycle: LifecycleEvents;
  readonly #executor: EffectsExecutor;
  readonly #reauthentication: Reauthentication | undefined;
  readonly #reports: ProtocolReports;
  readonly #flow: InboundFlow;
  #restored: Promise<void> | undefined;
  /** Installed by `instrument()`; undefined costs one check per publish and per event. */
  #instrumentation: ClientInstrumentation | undefined;
  /** What `message` listeners threw during an instrumented delivery. */
  #thrown: unknown[] | undefined;

  /** The facade as its parts see it (see `ClientEmitter`). */
  get #events(): ClientEmitter {
    return this as unknown as ClientEmitter;
  }

  constructor(options: ClientOptions) {
    super();
    const opts = resolveOptions(options);
    this.#opts = opts;
    const connectPackets = new ConnectPackets(opts);
    const events = this.#events;
    const reports = new ProtocolReports(opts.logger, events);
    this.#reports = reports;
    this.#session = new Session({
      protocolVersion: opts.protocolVersion,
      store: opts.store ?? createMemoryStore(),
      measure: (packet) => encode(packet, { protocolVersion: opts.protocolVersion }).length,
      logger: opts.logger,
      incomingAliasMaximum: opts.incomingAliasMaximum,
      outgoingTopicAliases: opts.outgoingTopicAliases,
      resubscribe: opts.resubscribe,
      onPersisted: () => this.#outbox.write(this.#session.resume()),
      onResubscribed: (results) => reports.resubscribed(results),
      onAnomaly: (anomaly) => reports.anomaly(anomaly),
    });
    // One engine for the client's lifetime: it keeps the last PINGREQ time across reconnects, so
    // PINGREQs stay at least one keepalive apart even when links come and go quickly. A new
    // engine per link would ping again at once on each new link, and a broker may throttle
    // PINGREQs per client identifier.
    this.#keepalive = createKeepalive({
      keepaliveMs: opts.keepaliveSeconds * 1000,
      ...(opts.pingTimeoutMs === undefined ? {} : { pingTimeoutMs: opts.pingTimeoutMs }),
      scheduler: opts.scheduler,
      sendPing: () => this.#outbox.write([{ cmd: 'pingreq' }]),
      onDead: () => this.#runner.dispatch({ type: 'keepaliveDead' }),
    });
    this.#outbox = new Outbox(opts.logger, this.#keepalive, events);
    this.#runner = new Runner((effect) => this.#executor.perform(effect), {
      scheduler: opts.lifecycleScheduler,
      connectTimeoutMs: opts.connectTimeoutMs,
      backoff: opts.reconnect === false ? undefined : opts.reconnect.policy,
      random: opts.random,
      logger: opts.logger,
    });
    this.#flow = new InboundFlow({
      keepalive: this.#keepalive,
      session: this.#session,
      receiveMaximum: opts.receiveMaximum,
      messageListeners: () => this.listenerCount('message'),
    });
    this.#operations = new Operations(opts, this.#runner, this.#session, this.#outbox, () =>
      this.#flow.awaiting(),
    );
    this.#lifecycle = new LifecycleEvents(opts.logger, events);
    this.#reauthentication = opts.auth
      ? new Reauthentication(opts.auth, this.#outbox, events, () => {
          // Only a live link is recycled: after `end()` (or any close on its way) a failed
          // exchange must not make a new link follow.
          if (outbound(this.#runner.state).action !== 'send') return;
          this.#runner.dispatch(connectEvent('reconnectNow', opts));
        })
      : undefined;
    const parts = {
      opts,
      runner: this.#runner,
      session: this.#session,
      keepalive: this.#keepalive,
      outbox: this.#outbox,
      connectPackets,
      events,
      reports,
      reauthentication: this.#reauthentication,
    };
    this.#executor = new EffectsExecutor({
      ...parts,
      inbound: new InboundDispatch({ ...parts, flow: this.#flow }),
      operations: this.#operations,
      lifecycle: this.#lifecycle,
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
    return outbound(this.#runner.state).action === 'send';
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
    const current = this.#lifecycle.connectResult;
    if (current && outbound(this.#runner.state).action === 'send') return current;
    if (this.#opts.store && !this.#restored) this.#restored = this.#session.restore();
    if (this.#restored) await this.#restored;
    return new Promise<ConnectResult>((resolve, reject) => {
      const onAbort = (): void => this.#runner.dispatch({ type: 'abort' });
      this.#lifecycle.waitConnect(abortable(signal, onAbort, resolve, reject));
      this.#runner.dispatch(connectEvent('connect', this.#opts));
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
    const hook = this.#instrumentation?.publish;
    if (hook === undefined) return this.#publish(topic, payload, options);
    const outgoing = { topic, payload, options, protocolVersion: this.#session.protocolVersion };
    return publishObserved(hook, outgoing, (t, p, o) => this.#publish(t, p, o));
  }

  /**
   * Installs instrumentation (`@mqttkit/otel` is one): it sees each publish before it is checked
   * (and may add user properties) until its flow settles, and each incoming message around its
   * delivery. One at a time; returns the function that removes it.
   */
  instrument(instrumentation: ClientInstrumentation): () => void {
    if (this.#instrumentation !== undefined) {
      throw new InvalidArgumentError('the client is already instrumented');
    }
    this.#instrumentation = instrumentation;
    return () => {
      if (this.#instrumentation === instrumentation) this.#instrumentation = undefined;
    };
  }

  #publish(
    topic: string,
    payload: string | Uint8Array,
    options: PublishOptions,
  ): Promise<PublishResult> {
    let packet: PublishPacket;
    try {
      packet = publishPacket(topic, payload, options, this.#session.protocolVersion);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#operations.submit<PublishResult>(
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
      subscriptionOf(f, options.qos ?? 0, this.#session.protocolVersion),
    );
    return this.#operations.ackable<SubscribeResult>('subscribe', { subscriptions }, options);
  }

  /** Unsubscribes. Resolves with one result per filter (MQTT 5 0x11 "no subscription" is a result). */
  async unsubscribe(
    filters: string | ReadonlyArray<string>,
    options: UnsubscribeOptions = {},
  ): Promise<UnsubscribeResultWithInfo[]> {
    const topicFilters = typeof filters === 'string' ? [filters] : [...filters];
    return this.#operations.ackable<UnsubscribeResult>('unsubscribe', { topicFilters }, options);
  }

  /**
   * Ends the connection (DISCONNECT, then close; `force` destroys at once) and stops
   * reconnecting. Resolves once closed. Pending operations reject with `ConnectionClosedError`.
   * `connect()` works again afterwards.
   */
  end(options: EndOptions = {}): Promise<void> {
    // A local end forgets what to resubscribe: a later connect() starts from the caller's calls.
    this.#session.forgetSubscriptions();
    if (isStopped(this.#runner.state)) return Promise.resolve();
    const { signal } = options;
    const escalate = (): void => this.#runner.dispatch({ type: 'end', force: true });
    const promise = new Promise<void>((resolve) => {
      this.#lifecycle.waitEnd(abortable<void>(signal, escalate, resolve, () => {}).resolve);
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
    this.#runner.dispatch(connectEvent('reconnectNow', this.#opts));
  }

  /**
   * MQTT 5 re-authentication on the live link (spec 4.12.1): sends AUTH 0x19 with the
   * connection's Authentication Method, answers the broker's AUTH 0x18 challenges with the same
   * `auth.onChallenge` as at CONNECT, and resolves on AUTH 0x00 (Success). Other operations keep
   * flowing meanwhile. A broker refusing it sends DISCONNECT [MQTT-4.12.1-2]: the promise rejects
   * with `ConnectionClosedError` whose `reason` is the typed `broker-disconnect` close. Aborting
   * (or a throwing `onChallenge`) fails the exchange on our side: the promise rejects and the link
   * is closed and reopened, authenticating from CONNECT again. Needs the `auth` option, MQTT 5
   * and a connection; one exchange at a time.
   */
  reauthenticate(options: ReauthenticateOptions = {}): Promise<ReauthenticateResult> {
    const reauthentication = this.#reauthentication;
    if (!reauthentication) {
      return Promise.reject(
        new InvalidArgumentError(
          'reauthenticate() needs the auth option (enhanced authentication)',
        ),
      );
    }
    if (options.signal?.aborted) {
      return Promise.reject(new OperationAbortedError(false, options.signal.reason));
    }
    const decision = outbound(this.#runner.state);
    const link = this.#executor.link;
    if (decision.action !== 'send' || !link) {
      return Promise.reject(
        new NotConnectedError(decision.action === 'reject' ? decision.why : 'offline'),
      );
    }
    // [MQTT-4.12.1-1]: only a link that authenticated with a method can re-authenticate; a
    // connection negotiated down to 3.1.1 has no AUTH at all.
    if (link.protocolVersion !== 5) {
      return Promise.reject(new InvalidArgumentError('reauthenticate() needs MQTT 5'));
    }
    if (reauthentication.running) {
      return Promise.reject(new InvalidArgumentError('a re-authentication is already running'));
    }
    return reauthentication.start(link, options);
  }

  /** Counters of this client: reconnects, pings, round trip, in flight and queued operations. */
  stats(): ClientStats {
    const k = this.#keepalive.stats();
    return {
      reconnects: this.#lifecycle.reconnects,
      pingsSent: k.pingsSent,
      pongsReceived: k.pongsReceived,
      lastRttMs: k.lastRttMs,
      inflight: this.#session.inflightCount,
      queued: this.#operations.queued + this.#session.waitingCount,
      resubscribeRefused: this.#reports.resubscribeRefused,
      anomalies: this.#reports.anomalies,
      ...this.#flow.stats(),
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
      this.#flow.consumer(),
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
    // The link's version: a broker negotiated down to 3.1.1 has no Response Topic either.
    if (this.#session.protocolVersion !== 5) {
      throw new InvalidArgumentError('request() needs protocolVersion 5 (Response Topic)');
    }
    const { signal } = options;
    if (signal?.aborted) throw new OperationAbortedError(false, signal.reason);
    const requests = this.#operations.requests;
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

  protected override emitCollect<E extends keyof MqttClientEvents>(
    event: E,
    ...args: ArgsOf<MqttClientEvents[E]>
  ): unknown[] | undefined {
    const deliver = this.#instrumentation?.deliver;
    if (deliver === undefined || event !== 'message') return super.emitCollect(event, ...args);
    const observer = deliver(args[0] as Message);
    if (observer === undefined) return super.emitCollect(event, ...args);
    const thrown: unknown[] = [];
    const outer = this.#thrown;
    this.#thrown = thrown;
    try {
      return deliverObserved(observer, () => super.emitCollect(event, ...args), thrown);
    } finally {
      this.#thrown = outer;
    }
  }

  protected override listenerFailed(event: keyof MqttClientEvents, error: unknown): void {
    if (event === 'message') this.#thrown?.push(error);
    listenerThrew(this.#events, this.#opts.logger, String(event), error);
  }
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
