/** What the client tells its logger and `packetsend` listeners about a packet: never secrets. */
import type { Packet } from '@mqttkit/codec';

/** For logs: never a payload, password or auth data. */
export function packetLog(packet: Packet): Record<string, unknown> {
  const log: Record<string, unknown> = { cmd: packet.cmd };
  if ('packetId' in packet && packet.packetId !== undefined) log.packetId = packet.packetId;
  if ('reasonCode' in packet && packet.reasonCode !== undefined) log.reasonCode = packet.reasonCode;
  if (packet.cmd === 'publish') {
    log.topic = packet.topic;
    log.qos = packet.qos;
    log.bytes = packet.payload.length;
  }
  return log;
}

/** CONNECT without its password, CONNECT/AUTH without authentication data, for `packetsend`. */
export function redact(packet: Packet): Packet {
  if (packet.cmd !== 'connect' && packet.cmd !== 'auth') return packet;
  let out: Packet = packet;
  if (out.cmd === 'connect' && out.password !== undefined) {
    const { password: _password, ...rest } = out;
    out = rest;
  }
  if (out.properties?.authenticationData !== undefined) {
    const { authenticationData: _data, ...properties } = out.properties;
    out = { ...out, properties };
  }
  return out;
}
