/**
 * The per-link context: everything that lives and dies with one link. The connection, the
 * CONNACK that opened it, the `beforeConnect` overrides of its attempt and the acks it holds for
 * `ackAfterHandler` are fields of one object made per `openTransport`; a new link is a new
 * object, so nothing is reset by hand and a late callback of an old link cannot touch the new one.
 *
 * It is also the connection's handler object: prototype methods rather than a handful of
 * closures, because a process may hold thousands of idle links.
 */
import type { CodecError, ConnackPacket, ConnectPacket, Packet } from '@mqttkit/codec/client';
import type { ConnectPackets } from './connect-packet.js';
import { Connection, type ConnectionHandlers, type ConnectionOptions } from './connection.js';
import { foreignPeerMessage } from './foreign-peer.js';
import type { InboundDispatch } from './inbound-dispatch.js';
import type { ConnectOverrides } from './options.js';
import type { Outbox } from './outbox.js';
import type { Runner } from './runner.js';
import { credentialsOf, withoutCredentials } from './url-credentials.js';

/** What a link reports to: the parts of the client that outlive it. */
export interface LinkHost {
  readonly runner: Runner;
  readonly inbound: InboundDispatch;
  readonly outbox: Outbox;
  readonly connectPackets: ConnectPackets;
  /** The link's one close: release what it held, then tell the machine. */
  linkClosed(link: Link, error: unknown): void;
}

interface HeldAck {
  readonly packets: readonly Packet[];
  ready: boolean;
}

export class Link implements ConnectionHandlers {
  readonly connection: Connection;
  /** The version this link speaks: the options', or 4 for a server that refused 5. */
  readonly protocolVersion: 4 | 5;
  /** The accepted CONNACK of this link, once it came. */
  connack: ConnackPacket | undefined;
  /** The Client Identifier this link's CONNECT carried, once it was built. */
  sentClientId: string | undefined;
  /** The CONNECT's Clean Session flag, once it was built. */
  sentClean: boolean | undefined;
  /** The CONNECT asked for Response Information (MQTT 5 Request Response Information 1). */
  responseInformationRequested = false;
  /** What `beforeConnect` returned for this link's attempt. */
  #overrides: ConnectOverrides | undefined;
  /** Acks held until their message's handlers settle (`ackAfterHandler`), in arrival order. */
  #heldAcks: HeldAck[] | undefined;
  #heldPubacks = 0;
  readonly #host: LinkHost;
  /** The URL of this link's attempt, user info included (`options.url` or the hook's). */
  #url: string;

  /** `options.url` may carry credentials: they go into CONNECT, never to the transport. */
  constructor(host: LinkHost, options: ConnectionOptions) {
    this.#host = host;
    this.protocolVersion = options.protocolVersion;
    this.#url = options.url;
    this.connection = new Connection({ ...options, url: withoutCredentials(options.url) }, this);
  }

  /** The URL of this link's attempt without its credentials: for logs. */
  get url(): string {
    return withoutCredentials(this.#url);
  }

  /** Opens the connection, after the `beforeConnect` hook when there is one. */
  open(attempt: number, serverIndex: number, hooked: boolean): void {
    if (!hooked) {
      this.connection.open();
      return;
    }
    // The hook runs inside the attempt (the machine's connect timer is already running, and
    // `end()` closes the connection), so its failure takes the transport-error path.
    this.connection.open(async (signal) => {
      const overrides = await this.#host.connectPackets.prepare(attempt, serverIndex, signal);
      this.#overrides = overrides;
      if (overrides?.url === undefined) return undefined;
      this.#url = overrides.url;
      return withoutCredentials(overrides.url);
    });
  }

  /** This link's CONNECT. */
  connectPacket(): ConnectPacket {
    const packet = this.#host.connectPackets.build(
      this.#overrides,
      credentialsOf(this.#url),
      this.protocolVersion,
    );
    this.sentClientId = packet.clientId;
    this.sentClean = packet.clean;
    this.responseInformationRequested = packet.properties?.requestResponseInformation === true;
    return packet;
  }

  /** Whether the link can still write: acks and answers of a closed link are never sent. */
  get isOpen(): boolean {
    return this.connection.isOpen;
  }

  /**
   * Holds `packets` (the acks of one PUBLISH) until `waits` settle. [MQTT-4.6.0-2]: acks leave in
   * the order their PUBLISH arrived, so a held ack also holds the ones behind it.
   */
  holdAcks(packets: readonly Packet[], waits: readonly Promise<void>[]): void {
    const held: HeldAck = { packets, ready: false };
    this.#heldAcks ??= [];
    this.#heldAcks.push(held);
    if (packets[0]?.cmd === 'puback') this.#heldPubacks++;
    const release = (): void => {
      held.ready = true;
      this.#flushHeldAcks();
    };
    if (waits.length === 0) release();
    else void Promise.all(waits).then(release);
  }

  #flushHeldAcks(): void {
    const heldAcks = this.#heldAcks;
    // Acks belong to the link their PUBLISH came on; the broker resends on the next one.
    if (!heldAcks || !this.isOpen) return;
    if (!heldAcks[0]?.ready) return;
    while (heldAcks[0]?.ready) {
      const held = heldAcks.shift() as HeldAck;
      if (held.packets[0]?.cmd === 'puback') this.#heldPubacks--;
      this.#host.outbox.write(held.packets);
    }
    this.#host.inbound.acksReleased(this);
  }

  /** Messages whose acks are held (`ackAfterHandler`), released or not: what this link holds. */
  get heldAcks(): number {
    return this.#heldAcks?.length ?? 0;
  }

  /** Held PUBACKs: QoS 1 messages the broker counts as unacknowledged. */
  get heldPubacks(): number {
    return this.#heldPubacks;
  }

  onOpen(): void {
    this.#host.runner.dispatch({ type: 'transportOpened' });
  }

  onPacket(packet: Packet): void {
    this.#host.inbound.receive(packet, this);
  }

  onDecodeError(error: CodecError): void {
    this.#host.inbound.decodeFailed(error);
  }

  onForeignPeer(firstBytes: Uint8Array): void {
    // 0x81 Malformed Packet: what the codec would have said, with the cause named.
    this.#host.runner.dispatch({
      type: 'protocolViolation',
      reasonCode: 0x81,
      message: foreignPeerMessage(firstBytes),
    });
  }

  onDrain(): void {
    this.#host.outbox.drained();
  }

  onClose(error: unknown): void {
    this.#host.linkClosed(this, error);
  }
}
