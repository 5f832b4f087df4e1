/**
 * From parsed arguments to a connected client: reads the TLS files, wires `-d`, and turns a
 * failed first connection into a `CliRuntimeError` that says why.
 */
import { readFile } from 'node:fs/promises';
import {
  type ClientOptions,
  type CloseReason,
  createClient,
  describeReason,
  type MqttClient,
  type Packet,
} from '@mqttkit/client';
import type { ConnectionArgs } from './args.js';
import { CliRuntimeError } from './errors.js';
import type { Io } from './io.js';
import { line } from './io.js';

export interface ClientSetup {
  /** Client id suffix (bench opens two connections). */
  clientIdSuffix?: string;
  /** Keep reconnecting after the first connection (sub, watch). */
  reconnect: boolean;
}

export async function clientOptions(
  args: ConnectionArgs,
  setup: ClientSetup,
): Promise<ClientOptions> {
  const options: ClientOptions = {
    url: args.url,
    protocolVersion: args.protocolVersion,
    keepalive: args.keepalive,
    connectTimeout: 10_000,
    reconnect: setup.reconnect ? { initialDelay: 500, maxDelay: 10_000 } : false,
  };
  if (!args.clean) options.clean = false;
  if (args.sessionExpiryInterval !== undefined) {
    options.sessionExpiryInterval = args.sessionExpiryInterval;
  }
  if (args.socketPath !== undefined) options.socketPath = args.socketPath;
  if (args.proxy !== undefined) options.proxy = args.proxy;
  if (args.clientId !== undefined) options.clientId = args.clientId + (setup.clientIdSuffix ?? '');
  if (args.username !== undefined) options.username = args.username;
  if (args.password !== undefined) options.password = args.password;
  if (Object.keys(args.properties.connect).length > 0) options.properties = args.properties.connect;
  if (args.will) {
    options.will = {
      topic: args.will.topic,
      payload: args.will.payload,
      qos: args.will.qos,
      retain: args.will.retain,
    };
    if (Object.keys(args.properties.will).length > 0)
      options.will.properties = args.properties.will;
  }
  if (args.tls) {
    const tls: NonNullable<ClientOptions['tls']> = {};
    if (args.tls.cafile !== undefined) tls.ca = await readTlsFile(args.tls.cafile, '--cafile');
    if (args.tls.cert !== undefined) tls.cert = await readTlsFile(args.tls.cert, '--cert');
    if (args.tls.key !== undefined) tls.key = await readTlsFile(args.tls.key, '--key');
    if (args.tls.insecure) tls.insecureSkipVerify = true;
    options.tls = tls;
  }
  return options;
}

async function readTlsFile(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliRuntimeError(`${flag} ${path}: cannot read it (${errorText(error)})`, {
      cause: error,
    });
  }
}

/** Create the client, wire `-d`, and warn loudly about `--insecure`. */
export async function openClient(
  args: ConnectionArgs,
  setup: ClientSetup,
  io: Io,
): Promise<MqttClient> {
  const client = createClient(await clientOptions(args, setup));
  if (args.tls?.insecure) {
    line(
      io.stderr,
      'mqttkit: WARNING: --insecure: the broker certificate and host name are NOT verified. ' +
        'Anyone on the network path can read and change this traffic, credentials included. ' +
        'Use --cafile to trust a private CA instead.',
    );
  }
  if (args.debug) {
    client.on('state', (change) => {
      const why = change.reason ? ` (${describeReason(change.reason)})` : '';
      line(io.stderr, `mqttkit: state ${change.from} -> ${change.to}${why}`);
    });
    client.on('packetsend', (packet) => line(io.stderr, `mqttkit: sent ${describePacket(packet)}`));
    client.on('packetreceive', (packet) =>
      line(io.stderr, `mqttkit: received ${describePacket(packet)}`),
    );
  }
  return client;
}

/**
 * `connect()` that fails fast. With reconnect on, the client would keep a first connection
 * attempt pending through retries; a command-line user wants the refusal now, so the first
 * failed attempt ends the client and its reason becomes the error.
 */
export async function connectOrFail(client: MqttClient, url: string, io: Io): Promise<void> {
  let connected = false;
  let firstFailure: CloseReason | undefined;
  const onClose = (reason: CloseReason): void => {
    if (connected || firstFailure) return;
    firstFailure = reason;
    void client.end({ force: true });
  };
  client.on('close', onClose);
  const onInterrupt = (): void => void client.end({ force: true });
  io.interrupt.addEventListener('abort', onInterrupt, { once: true });
  try {
    await client.connect();
    connected = true;
  } catch (error) {
    if (io.interrupt.aborted)
      throw new CliRuntimeError('Interrupted while connecting', { cause: error });
    const reason = firstFailure ?? reasonOf(error);
    const reasonCode =
      reason && (reason.type === 'connack-refused' || reason.type === 'broker-disconnect')
        ? reason.reasonCode
        : undefined;
    const text = reason ? describeReason(reason) : errorText(error);
    throw new CliRuntimeError(`Connection to ${url} failed: ${text}`, {
      cause: error,
      ...(reasonCode === undefined ? {} : { reasonCode }),
    });
  } finally {
    client.off('close', onClose);
    io.interrupt.removeEventListener('abort', onInterrupt);
  }
}

function reasonOf(error: unknown): CloseReason | undefined {
  if (typeof error === 'object' && error !== null && 'reason' in error) {
    const reason = (error as { reason: unknown }).reason;
    if (typeof reason === 'object' && reason !== null && 'type' in reason)
      return reason as CloseReason;
  }
  return undefined;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One line per packet for `-d`. Built field by field: never the password or auth data. */
export function describePacket(packet: Packet): string {
  switch (packet.cmd) {
    case 'connect': {
      const user = packet.username === undefined ? '' : ` username=${packet.username}`;
      const pass = packet.password === undefined ? '' : ' password=<hidden>';
      const will = packet.will ? ` will=${packet.will.topic}` : '';
      return `CONNECT clientId=${packet.clientId} keepalive=${packet.keepalive} clean=${packet.clean}${user}${pass}${will}`;
    }
    case 'connack':
      return `CONNACK sessionPresent=${packet.sessionPresent} reasonCode=${hex(packet.reasonCode)}`;
    case 'publish': {
      const id = packet.packetId === undefined ? '' : ` packetId=${packet.packetId}`;
      return `PUBLISH topic=${packet.topic} qos=${packet.qos} retain=${packet.retain} dup=${packet.dup}${id} (${packet.payload.length} bytes)`;
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return `${packet.cmd.toUpperCase()} packetId=${packet.packetId} reasonCode=${hex(packet.reasonCode ?? 0)}`;
    case 'subscribe':
      return `SUBSCRIBE packetId=${packet.packetId} ${packet.subscriptions.map((s) => `${s.topicFilter}@${s.qos}`).join(' ')}`;
    case 'suback':
      return `SUBACK packetId=${packet.packetId} codes=${packet.reasonCodes.map(hex).join(',')}`;
    case 'unsubscribe':
      return `UNSUBSCRIBE packetId=${packet.packetId} ${packet.topicFilters.join(' ')}`;
    case 'unsuback':
      return `UNSUBACK packetId=${packet.packetId}`;
    case 'disconnect':
      return `DISCONNECT reasonCode=${hex(packet.reasonCode ?? 0)}`;
    case 'pingreq':
      return 'PINGREQ';
    case 'pingresp':
      return 'PINGRESP';
    case 'auth':
      return `AUTH reasonCode=${hex(packet.reasonCode ?? 0)}`;
  }
}

function hex(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}
