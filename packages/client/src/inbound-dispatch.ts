/**
 * Inbound dispatch: what the client does with each packet the broker sends. The machine says
 * whether the link still reads (`inbound(state)`); `checkInbound` refuses what the protocol
 * forbids; CONNACK, DISCONNECT and AUTH go to the machine or the `auth` option, the rest to the
 * session, whose answers (acks) are written at once or held by the link for `ackAfterHandler`.
 *
 * Hot path: one state read, one rule check and one session call per packet; nothing per packet
 * beyond what the session and the message itself need.
 */
import type {
  AuthPacket,
  AuthProperties,
  CodecError,
  ConnackPacket,
  Packet,
  PublishPacket,
} from '@mqttkit/codec/client';
import type { Keepalive } from '@mqttkit/keepalive';
import { inbound } from '@mqttkit/state';
import { type ClientEmitter, listenerThrew } from './client-emitter.js';
import type { ConnectPackets } from './connect-packet.js';
import type { InboundFlow } from './inbound-flow.js';
import { checkInbound } from './inbound-rules.js';
import type { Link } from './link.js';
import { isTracing } from './logger.js';
import type { ResolvedOptions } from './options.js';
import type { Outbox } from './outbox.js';
import { packetLog } from './packet-log.js';
import type { ProtocolReports } from './protocol-reports.js';
import type { Reauthentication } from './reauthentication.js';
import type { Runner } from './runner.js';
import type { Session } from './session.js';
import type { Message } from './types.js';

export interface InboundParts {
  readonly opts: ResolvedOptions;
  readonly runner: Runner;
  readonly session: Session;
  readonly keepalive: Keepalive;
  readonly outbox: Outbox;
  readonly connectPackets: ConnectPackets;
  readonly events: ClientEmitter;
  readonly reports: ProtocolReports;
  /** Set when the client authenticates with a method (`auth`): AUTH 0x19 on a live link. */
  readonly reauthentication?: Reauthentication | undefined;
  readonly flow: InboundFlow;
}

export class InboundDispatch {
  readonly #opts: ResolvedOptions;
  readonly #runner: Runner;
  readonly #session: Session;
  readonly #keepalive: Keepalive;
  readonly #outbox: Outbox;
  readonly #connectPackets: ConnectPackets;
  readonly #events: ClientEmitter;
  readonly #reauthentication: Reauthentication | undefined;
  readonly #reports: ProtocolReports;
  readonly #flow: InboundFlow;
  readonly #tracing: boolean;
  /** The link whose broker went past our Receive Maximum, reported once per link. */
  #overReported: Link | undefined;

  constructor(parts: InboundParts) {
    this.#opts = parts.opts;
    this.#runner = parts.runner;
    this.#session = parts.session;
    this.#keepalive = parts.keepalive;
    this.#outbox = parts.outbox;
    this.#connectPackets = parts.connectPackets;
    this.#events = parts.events;
    this.#reauthentication = parts.reauthentication;
    this.#reports = parts.reports;
    this.#flow = parts.flow;
    this.#tracing = isTracing(parts.opts.logger);
  }

  receive(packet: Packet, link: Link): void {
    const decision = inbound(this.#runner.state);
    // Late packets of a link we are closing are dropped, as the machine drops their events.
    if (decision === 'drop') return;
    if (this.#tracing) this.#opts.logger.trace(packetLog(packet), 'packet received');
    if (packet.cmd === 'pingresp') this.#keepalive.pingAnswered();
    else this.#keepalive.packetReceived();
    this.#events.emit('packetreceive', packet);
    const handshake = decision === 'handshake';
    const violation = checkInbound(packet, {
      protocolVersion: link.protocolVersion,
      connackReceived: !handshake,
      // An enhanced-authentication exchange runs from CONNECT (with a method) to CONNACK, and a
      // re-authentication from our AUTH 0x19 to the broker's AUTH 0x00 (spec 4.12.1).
      awaitingAuth: handshake
        ? this.#opts.auth !== undefined
        : this.#reauthentication?.isOpen(link) === true,
      responseInformationRequested: link.responseInformationRequested,
    });
    if (violation) {
      this.#runner.dispatch({ type: 'protocolViolation', ...violation });
      return;
    }
    switch (packet.cmd) {
      case 'connack':
        this.#receiveConnack(packet, link);
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
        // checkInbound has refused AUTH outside an exchange: this is the handshake's or the
        // re-authentication's.
        if (handshake) this.#answerAuth(packet, link);
        else this.#reauthentication?.receive(packet, link);
        return;
      case 'publish':
        if (this.#receiveMaximumBroken(packet, link)) return;
        break;
      default:
        break;
    }
    const result = this.#session.receive(packet);
    if (result.violation) {
      this.#outbox.write(result.send);
      this.#runner.dispatch({ type: 'protocolViolation', ...result.violation });
      return;
    }
    if (!result.message) {
      this.#outbox.write(result.send);
      // An answer the client awaited came (a PUBACK, a SUBACK): reading may stop again.
      this.#flow.update(link);
      return;
    }
    if (!this.#opts.ackAfterHandler || result.message.qos === 0) {
      this.#outbox.write(result.send);
      this.#deliver(result.message);
    } else {
      link.holdAcks(result.send, this.#deliver(result.message));
    }
    this.#flow.update(link);
  }

  /** `link` sent acks it held: inbound flow control may read again. */
  acksReleased(link: Link): void {
    this.#flow.update(link);
  }

  /** MQTT 5: a broker past our Receive Maximum is reported, and closed with 0x93 far past it. */
  #receiveMaximumBroken(packet: PublishPacket, link: Link): boolean {
    const check = this.#flow.receiveMaximumCheck(packet, link);
    if (check === 'within') return false;
    const message = `more than Receive Maximum (${this.#opts.receiveMaximum}) unacknowledged QoS 1/2 PUBLISH [MQTT-3.3.4-9]`;
    if (check === 'over') {
      if (this.#overReported !== link)
        this.#opts.logger.warn({ packetId: packet.packetId }, message);
      this.#overReported = link;
      return false;
    }
    this.#runner.dispatch({ type: 'protocolViolation', reasonCode: 0x93, message });
    return true;
  }

  decodeFailed(error: CodecError): void {
    // The codec's code goes into our DISCONNECT: 0x81 malformed, 0x82 forbidden, 0x95 above the
    // Maximum Packet Size we announced [MQTT-3.1.2-24].
    const reasonCode =
      error.reasonCode === 0x81 || error.reasonCode === 0x95 ? error.reasonCode : 0x82;
    this.#runner.dispatch({ type: 'protocolViolation', reasonCode, message: error.message });
  }

  #receiveConnack(received: ConnackPacket, link: Link): void {
    // MQTT 3.1 has no Session Present flag (byte 1 of its CONNACK is unused): a 3.1 server keeps
    // the session of a client that connected with Clean Session 0 (3.1 section 3.1), so that is
    // what the session assumes.
    const packet: ConnackPacket = this.#opts.mqtt31
      ? { ...received, sessionPresent: link.sentClean === false }
      : received;
    if (packet.reasonCode !== 0) {
      const { reasonCode, protocolVersion } = packet;
      // `protocolVersion` is set when a 3.1.1 broker answered our MQTT 5 CONNECT in 3.1.1.
      this.#runner.dispatch(
        protocolVersion === undefined
          ? { type: 'connackRefused', reasonCode }
          : { type: 'connackRefused', reasonCode, protocolVersion },
      );
      return;
    }
    link.connack = packet;
    const assigned = packet.properties?.assignedClientIdentifier;
    if (assigned !== undefined && link.sentClientId !== '') {
      // [MQTT-3.2.2-16] asks for it when the Client Identifier was empty; no statement forbids
      // it otherwise, so the link stays up. The identifier we sent stays ours: reconnects keep
      // using it (`ConnectPackets.accepted` adopts an assigned one only for an empty id).
      this.#reports.anomaly({
        kind: 'unexpected-property',
        packet: 'CONNACK',
        message: `CONNACK assigned Client Identifier '${assigned}' to the non-empty '${link.sentClientId}'; ours is kept`,
      });
    }
    this.#connectPackets.accepted(packet);
    this.#runner.dispatch({ type: 'connackAccepted', sessionPresent: packet.sessionPresent });
  }

  #answerAuth(packet: AuthPacket, link: Link): void {
    const auth = this.#opts.auth;
    // Only a "Continue authentication" is answered here; re-authentication is
    // `Reauthentication`'s.
    if (!auth || packet.reasonCode !== 0x18) return;
    const challenge = {
      data: packet.properties?.authenticationData,
      reasonString: packet.properties?.reasonString,
    };
    Promise.resolve()
      .then(() => auth.onChallenge(challenge))
      .then(
        (data) => {
          // An answer for a link already gone is not sent on the next one.
          if (!link.isOpen) return;
          const properties: AuthProperties = { authenticationMethod: auth.method };
          if (data !== undefined) properties.authenticationData = data;
          this.#outbox.write([{ cmd: 'auth', reasonCode: 0x18, properties }]);
        },
        (error: unknown) => {
          if (!link.isOpen) return;
          this.#events.emit('error', error);
          // 0x80 Unspecified error: the application could not continue the exchange.
          this.#runner.dispatch({ type: 'end', reasonCode: 0x80 });
        },
      );
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
    const results = this.#events.emitCollect('message', message) ?? [];
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
          (error: unknown) => listenerThrew(this.#events, this.#opts.logger, 'message', error),
        ),
      );
    }
    return waits;
  }
}
