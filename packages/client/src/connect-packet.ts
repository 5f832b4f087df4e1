/**
 * CONNECT building: the packet from the options and the current attempt's `beforeConnect`
 * overrides, the client identifier it carries (the broker may assign one), and the hook's step
 * with the checks that make a bad answer the hook's error rather than a stuck attempt.
 */
import { type ConnackPacket, type ConnectPacket, encode } from '@mqttkit/codec/client';
import { BeforeConnectError, InvalidOptionError } from './errors.js';
import { type AbortSignalLike, utf8Encode } from './globals.js';
import { type ConnectOverrides, checkType, type ResolvedOptions } from './options.js';
import { credentialsOf, type UrlCredentials } from './url-credentials.js';

export class ConnectPackets {
  readonly #opts: ResolvedOptions;
  #clientId: string;

  /** Throws `InvalidOptionError` when the options cannot make an encodable CONNECT. */
  constructor(opts: ResolvedOptions) {
    this.#opts = opts;
    this.#clientId = opts.clientId;
    try {
      // Will, properties, credentials: a CONNECT that cannot be encoded is an option error now,
      // not a connect timeout later.
      const first = opts.servers[0] as string;
      encode(this.build(undefined, credentialsOf(first)), {
        protocolVersion: opts.protocolVersion,
      });
    } catch (error) {
      throw new InvalidOptionError('options', 'an encodable CONNECT', { cause: error });
    }
  }

  /**
   * The CONNECT of an attempt: the options, with what `beforeConnect` returned for it. Each of
   * user name and password comes from the hook's answer, else the options, else the attempt's URL
   * (`fromUrl`), as MQTT.js takes them from the URL when the options have none. Under
   * `protocolVersion` 4 (a link negotiated down to 3.1.1) without the MQTT 5 properties.
   */
  build(
    over: ConnectOverrides | undefined,
    fromUrl?: UrlCredentials,
    protocolVersion = this.#opts.protocolVersion,
  ): ConnectPacket {
    const o = this.#opts;
    const packet: ConnectPacket = {
      cmd: 'connect',
      clientId: this.#clientId,
      clean: o.clean,
      keepalive: o.keepaliveSeconds,
    };
    // MQTT 3.1 differs from 3.1.1 on the wire in CONNECT only (Protocol Name and Level).
    if (o.mqtt31) packet.protocolVersion = 3;
    const username = over?.username ?? o.username ?? fromUrl?.username;
    if (username !== undefined) packet.username = username;
    const password =
      typeof over?.password === 'string'
        ? utf8Encode(over.password)
        : (over?.password ??
          o.password ??
          (fromUrl?.password === undefined ? undefined : utf8Encode(fromUrl.password)));
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
    if (protocolVersion === 4) {
      if (packet.will) delete packet.will.properties;
      return packet;
    }
    if (over?.properties) packet.properties = { ...o.connectProperties, ...over.properties };
    else if (o.connectProperties) packet.properties = o.connectProperties;
    return packet;
  }

  /**
   * An accepted CONNACK: reconnect under the identifier the broker assigned to an empty one
   * (MQTT 5 Assigned Client Identifier), so the session can resume.
   */
  accepted(connack: ConnackPacket): void {
    const assigned = connack.properties?.assignedClientIdentifier;
    if (assigned !== undefined && this.#clientId === '') this.#clientId = assigned;
  }

  /**
   * Runs `beforeConnect` for one attempt and checks its answer. Any failure, the hook's own or
   * overrides that cannot make a CONNECT, is a `BeforeConnectError`: the attempt ends as a
   * transport error, and the reconnect policy decides. Its result is never logged: it holds
   * credentials.
   */
  async prepare(
    attempt: number,
    serverIndex: number,
    signal: AbortSignalLike,
  ): Promise<ConnectOverrides | undefined> {
    const url = this.#opts.servers[serverIndex] as string;
    const hook = this.#opts.beforeConnect;
    if (!hook) return undefined;
    try {
      const overrides = (await hook({ attempt, serverIndex, signal })) ?? undefined;
      if (overrides !== undefined) {
        const protocolVersion = this.#opts.protocolVersion;
        checkOverrides(overrides, protocolVersion);
        // What the options allow may not hold with the overrides (a password without a username
        // under 3.1.1): found here, it is the hook's error, not a stuck attempt.
        const fromUrl = credentialsOf(overrides.url ?? url);
        encode(this.build(overrides, fromUrl), { protocolVersion });
      }
      return overrides;
    } catch (error) {
      throw new BeforeConnectError(error);
    }
  }
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
