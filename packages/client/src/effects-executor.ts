/**
 * The effects executor: the one place that carries out what the state machine decides (the
 * runner keeps the timers). It owns the current link, so a link's start (`openTransport`) and
 * its end (the connection's one close, reported before the machine hears of it) are both here:
 * the session learns of a new link from `flushQueue` and of its loss from `linkClosed`.
 */
import type { Keepalive } from '@mqttkit/keepalive';
import { type CloseReason, linkVersion } from '@mqttkit/state';
import type { ConnectPackets } from './connect-packet.js';
import type { InboundDispatch } from './inbound-dispatch.js';
import type { LifecycleEvents } from './lifecycle-events.js';
import { Link, type LinkHost } from './link.js';
import type { Operations } from './operations.js';
import type { ResolvedOptions } from './options.js';
import type { Outbox } from './outbox.js';
import type { Reauthentication } from './reauthentication.js';
import type { HostEffect, Runner } from './runner.js';
import type { Session } from './session.js';

export interface ExecutorParts {
  readonly opts: ResolvedOptions;
  readonly runner: Runner;
  readonly session: Session;
  readonly keepalive: Keepalive;
  readonly outbox: Outbox;
  readonly inbound: InboundDispatch;
  readonly connectPackets: ConnectPackets;
  readonly operations: Operations;
  readonly lifecycle: LifecycleEvents;
  readonly reauthentication?: Reauthentication | undefined;
}

export class EffectsExecutor implements LinkHost {
  readonly runner: Runner;
  readonly inbound: InboundDispatch;
  readonly outbox: Outbox;
  readonly connectPackets: ConnectPackets;
  readonly #opts: ResolvedOptions;
  readonly #session: Session;
  readonly #keepalive: Keepalive;
  readonly #operations: Operations;
  readonly #lifecycle: LifecycleEvents;
  readonly #reauthentication: Reauthentication | undefined;
  /** The link the machine's transport effects are about: at most one at a time. */
  #link: Link | undefined;
  /** The last link opened, kept after its close: the close log names its URL. */
  #lastLink: Link | undefined;

  constructor(parts: ExecutorParts) {
    this.runner = parts.runner;
    this.inbound = parts.inbound;
    this.outbox = parts.outbox;
    this.connectPackets = parts.connectPackets;
    this.#opts = parts.opts;
    this.#session = parts.session;
    this.#keepalive = parts.keepalive;
    this.#operations = parts.operations;
    this.#lifecycle = parts.lifecycle;
    this.#reauthentication = parts.reauthentication;
  }

  /** The link the machine's transport effects are about, while there is one. */
  get link(): Link | undefined {
    return this.#link;
  }

  perform(effect: HostEffect): void {
    switch (effect.type) {
      case 'openTransport':
        this.#openTransport(effect.serverIndex, effect.attempt);
        return;
      case 'closeTransport':
        this.#link?.connection.close(effect.force);
        return;
      case 'sendConnect':
        if (this.#link) this.outbox.write([this.#link.connectPacket()]);
        return;
      case 'sendDisconnect':
        this.outbox.write([
          this.#link?.protocolVersion === 5
            ? { cmd: 'disconnect', reasonCode: effect.reasonCode }
            : { cmd: 'disconnect' },
        ]);
        return;
      case 'startKeepalive': {
        // MQTT 5 Server Keep Alive replaces ours [MQTT-3.2.2-21].
        const server = this.#link?.connack?.properties?.serverKeepAlive;
        this.#keepalive.setKeepalive((server ?? this.#opts.keepaliveSeconds) * 1000);
        this.#keepalive.start();
        return;
      }
      case 'stopKeepalive':
        this.#keepalive.stop();
        return;
      case 'flushQueue':
        this.#flush();
        return;
      case 'rejectPending':
        this.#operations.rejectPending(effect.reason);
        return;
      case 'emit':
        this.#lifecycle.forward(
          effect.event,
          this.#link?.connack,
          this.#opts.mqtt31 ? 3 : this.#link?.protocolVersion,
          this.#lastLink?.url,
        );
        return;
    }
  }

  /**
   * The link's connection closed (exactly once per open). What belonged to it goes with it
   * before the machine decides what follows: the session's writes wait for the next link, and
   * what waited for the link's drain settles.
   */
  linkClosed(link: Link, error: unknown): void {
    if (this.#link === link) this.#link = undefined;
    this.outbox.detach(link.connection);
    this.#session.disconnected();
    const before = this.runner.state;
    this.runner.dispatch(
      error === undefined
        ? { type: 'transportClosed' }
        : { type: 'transportClosed', error, retryable: isRetryable(error) },
    );
    if (this.#reauthentication) {
      // The close's reason: the machine's decision, or the cause of the close it was in when a
      // connect() made a new link follow at once.
      const after = this.runner.state;
      const reason: CloseReason =
        'reason' in after
          ? after.reason
          : before.type === 'disconnecting'
            ? { ...before.cause, willReconnect: true }
            : { type: 'transport-closed', initiator: 'network', willReconnect: true };
      this.#reauthentication.linkClosed(link, reason);
    }
  }

  #openTransport(serverIndex: number, attempt: number): void {
    const opts = this.#opts;
    const state = this.runner.state;
    const link = new Link(this, {
      url: opts.servers[serverIndex] as string,
      // The machine's settings know which servers refused MQTT 5 (version negotiation).
      protocolVersion:
        'settings' in state ? linkVersion(state.settings, serverIndex) : opts.protocolVersion,
      maxPacketSize: opts.maxPacketSize,
      // The machine's connect timer (open + CONNACK) decides; the transport's own limit is a
      // backstop, so the close reason is `connect-timeout` rather than a transport error.
      connectTimeoutMs: opts.connectTimeoutMs + 1000,
      tls: opts.tls,
      ws: opts.ws,
      proxy: opts.proxy,
      socketPath: opts.socketPath,
    });
    this.#link = link;
    this.#lastLink = link;
    this.outbox.attach(link.connection);
    opts.logger.debug({ serverIndex }, 'opening transport');
    link.open(attempt, serverIndex, opts.beforeConnect !== undefined);
  }

  #flush(): void {
    const props = this.#link?.connack?.properties;
    this.outbox.write(
      this.#session.connected({
        sessionPresent: this.#link?.connack?.sessionPresent ?? false,
        receiveMaximum: props?.receiveMaximum ?? 65_535,
        maximumPacketSize: props?.maximumPacketSize,
        topicAliasMaximum: props?.topicAliasMaximum ?? 0,
        protocolVersion: this.#link?.protocolVersion ?? this.#opts.protocolVersion,
      }),
    );
    // Then what was queued while offline, in order.
    this.#operations.flushQueued();
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
