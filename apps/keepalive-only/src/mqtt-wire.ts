// The few MQTT 3.1.1 bytes this example needs, written by hand: the point of the example is that
// @mqttkit/keepalive needs no codec and no transport, only "a packet went out / came in".

export const PINGREQ = Uint8Array.of(0xc0, 0x00);
export const PACKET_CONNACK = 0x20;
export const PACKET_PINGRESP = 0xd0;

/** CONNECT with a clean session, no credentials, no will. */
export function encodeConnect(clientId: string, keepaliveSeconds: number): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const variableHeader = Buffer.from([
    0x00,
    0x04,
    ...Buffer.from('MQTT'), // protocol name
    0x04, // protocol level: 3.1.1
    0x02, // connect flags: clean session
    keepaliveSeconds >> 8,
    keepaliveSeconds & 0xff, // Keep Alive, in seconds
  ]);
  const payload = Buffer.concat([Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  const remaining = variableHeader.length + payload.length;
  if (remaining > 127) throw new RangeError('client id too long for this tiny encoder');
  return Buffer.concat([Buffer.from([0x10, remaining]), variableHeader, payload]);
}

/** Cuts a TCP byte stream into whole packets and hands over each packet's type nibble. */
export function createPacketSplitter(onPacket: (type: number) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      // Remaining Length: 1 to 4 bytes, 7 bits each, high bit = "more bytes follow".
      let length = 0;
      let offset = 1;
      let done = false;
      for (let shift = 0; offset < pending.length && shift <= 21; shift += 7) {
        const byte = pending[offset++] as number;
        length += (byte & 0x7f) << shift;
        if ((byte & 0x80) === 0) {
          done = true;
          break;
        }
      }
      if (!done || pending.length < offset + length) return;
      const type = (pending[0] as number) & 0xf0;
      pending = pending.subarray(offset + length);
      onPacket(type);
    }
  };
}
