/**
 * What a broker may send, decided from the packet alone plus a little connection context.
 *
 * The codec's client entry (`@mqttkit/codec/client`) decodes the packets a server may send; this
 * module adds the rules that depend on the version and on where the connection is (before or
 * after CONNACK, inside an enhanced-authentication exchange or not). A violation is returned,
 * not thrown: the client answers it with DISCONNECT carrying `reasonCode` (MQTT 5) and closes
 * with a `protocol-violation` reason.
 *
 * Already refused by the codec, so not repeated here (see the codec's `decode-*.ts`):
 * a QoS 1/2 PUBLISH without a Packet Identifier [MQTT-2.2.1-2] [MQTT-2.2.1-4],
 * CONNECT, SUBSCRIBE, UNSUBSCRIBE and PINGREQ, which only a client sends (spec 2.1.2), Packet
 * Identifier 0, Topic Alias 0, Subscription Identifier 0, Receive Maximum 0, properties in a
 * packet that cannot carry them, reason codes outside a packet's table, CONNACK refusing with
 * Session Present set, AUTH bytes under 3.1.1. Under 3.1.1 the decoder never reads properties,
 * so a 3.1.1 CONNACK with a property block fails as trailing bytes.
 *
 * Hot path: one switch and a few field reads per packet; nothing is allocated unless a rule
 * fails.
 */
import type { Packet } from '@mqttkit/codec';
import { hex } from './errors.js';

export interface InboundContext {
  protocolVersion: 4 | 5;
  /** A CONNACK was already received on this connection. */
  connackReceived: boolean;
  /**
   * An enhanced-authentication exchange is open: from a CONNECT that carried an Authentication
   * Method until its CONNACK, and from our re-authentication AUTH (0x19) until the broker's
   * final AUTH. Omitted: false.
   */
  awaitingAuth?: boolean;
  /** Our CONNECT set Request Response Information to 1. Omitted: false. */
  responseInformationRequested?: boolean;
}

export interface InboundViolation {
  /** 0x81 Malformed Packet or 0x82 Protocol Error. */
  reasonCode: 0x81 | 0x82;
  message: string;
}

const protocolError = (message: string): InboundViolation => ({ reasonCode: 0x82, message });

/** MQTT 5 DISCONNECT reason code that only a client may send (spec table 3-10). */
const DISCONNECT_WITH_WILL = 0x04;
/** MQTT 5 AUTH reason codes (spec table 3-13). */
const AUTH_SUCCESS = 0x00;
const AUTH_CONTINUE = 0x18;
const AUTH_REAUTHENTICATE = 0x19;

/**
 * Returns the first rule `packet` breaks as coming from the broker, or undefined when it may be
 * processed.
 */
export function checkInbound(packet: Packet, ctx: InboundContext): InboundViolation | undefined {
  const v5 = ctx.protocolVersion === 5;
  const cmd = packet.cmd;

  switch (cmd) {
    case 'auth':
      if (!v5) return protocolError('AUTH under MQTT 3.1.1');
      break;
    case 'disconnect':
      // MQTT 3.1.1 DISCONNECT flows client to server only (3.1.1 table 2.1): a 3.1.1 broker
      // closes the socket instead.
      if (!v5) return protocolError('DISCONNECT from an MQTT 3.1.1 broker');
      break;
  }

  if (!ctx.connackReceived) {
    // The first packet must be a CONNACK, except AUTH during enhanced authentication
    // (3.1.1 [MQTT-3.2.0-1]; 5.0 [MQTT-3.2.0-1]). DISCONNECT is let through under MQTT 5
    // although [MQTT-3.14.0-1] forbids it before CONNACK: the link ends either way, and the
    // broker's reason code tells the user more than our 0x82 would.
    if (cmd !== 'connack' && cmd !== 'auth' && cmd !== 'disconnect') {
      return protocolError(`${cmd.toUpperCase()} before CONNACK [MQTT-3.2.0-1]`);
    }
  } else if (cmd === 'connack') {
    return protocolError('second CONNACK [MQTT-3.2.0-2]');
  }

  switch (cmd) {
    case 'connack':
      // [MQTT-4.12.0-6]: no Authentication Method in CONNACK unless our CONNECT had one.
      if (
        v5 &&
        packet.properties?.authenticationMethod !== undefined &&
        ctx.awaitingAuth !== true
      ) {
        return protocolError(
          'CONNACK has an Authentication Method, CONNECT had none [MQTT-4.12.0-6]',
        );
      }
      // [MQTT-3.1.2-28]: without our request the server MUST NOT return Response Information; a
      // property the server must not send is a Protocol Error (4.13.1: the client closes). An
      // Assigned Client Identifier for a non-empty one has no such statement: inbound dispatch
      // reports it and stays up.
      if (
        v5 &&
        packet.properties?.responseInformation !== undefined &&
        ctx.responseInformationRequested !== true
      ) {
        return protocolError(
          'CONNACK has Response Information, CONNECT did not request it [MQTT-3.1.2-28]',
        );
      }
      return undefined;
    case 'disconnect':
      // [MQTT-3.14.2-2]: only the client may change the Session Expiry Interval on DISCONNECT.
      if (packet.properties?.sessionExpiryInterval !== undefined) {
        return protocolError('DISCONNECT has a Session Expiry Interval [MQTT-3.14.2-2]');
      }
      // Spec table 3-10 lists 0x04 as sent by the client only.
      if (packet.reasonCode === DISCONNECT_WITH_WILL) {
        return protocolError('DISCONNECT 0x04 (Disconnect with Will Message) is client-only');
      }
      return undefined;
    case 'auth':
      return checkAuth(packet.reasonCode ?? AUTH_SUCCESS, packet.properties, ctx);
    default:
      return undefined;
  }
}

function checkAuth(
  reasonCode: number,
  properties: { authenticationMethod?: string } | undefined,
  ctx: InboundContext,
): InboundViolation | undefined {
  // [MQTT-4.12.0-6]: a broker sends AUTH only in an exchange the client opened, and a server
  // never starts re-authentication [MQTT-4.12.1-1].
  if (ctx.awaitingAuth !== true) {
    return protocolError('AUTH outside an enhanced-authentication exchange [MQTT-4.12.0-6]');
  }
  if (reasonCode === AUTH_REAUTHENTICATE) {
    return protocolError('AUTH 0x19 (Re-authenticate) is client-only');
  }
  // [MQTT-4.12.0-2]: before CONNACK the broker continues with AUTH 0x18 and ends with CONNACK;
  // AUTH 0x00 (Success) only ends a re-authentication.
  if (!ctx.connackReceived && reasonCode !== AUTH_CONTINUE) {
    return protocolError(
      `AUTH ${hex(reasonCode)} before CONNACK; only 0x18 may precede it [MQTT-4.12.0-2]`,
    );
  }
  // [MQTT-4.12.0-5] and 3.15.2.2.2: every AUTH carries the Authentication Method.
  if (properties?.authenticationMethod === undefined) {
    return protocolError('AUTH without an Authentication Method [MQTT-4.12.0-5]');
  }
  return undefined;
}
