/**
 * A PUBLISH Topic Name equal in bytes to the last one decoded is given as the same string
 * without decoding again (`Reader.topic`). It must still be exactly the topic of each frame: with
 * the frame's buffer reused and rewritten in place, with same-length topics that differ, and an
 * invalid topic after a valid one must still be refused [MQTT-1.5.4-1/2], [MQTT-3.3.2-2].
 */
import { describe, expect, it } from 'vitest';
import type { CodecError, Packet, ProtocolVersion } from '../src/index.js';
import { createDecoder, encode } from '../src/index.js';

function decoder(v: ProtocolVersion) {
  const packets: Packet[] = [];
  const errors: CodecError[] = [];
  const d = createDecoder({
    protocolVersion: v,
    onPacket: (p) => packets.push(p),
    onError: (e) => errors.push(e),
  });
  return { d, packets, errors };
}

const publish = (topic: string, v: ProtocolVersion): Uint8Array =>
  encode(
    { cmd: 'publish', topic, payload: Uint8Array.of(1), qos: 0, retain: false, dup: false },
    {
      protocolVersion: v,
    },
  );

describe.each([4, 5] as const)('PUBLISH Topic Name reuse (MQTT %s)', (v) => {
  it('gives each frame its own topic when one buffer is rewritten in place', () => {
    const { d, packets, errors } = decoder(v);
    const buffer = publish('a/b', v);
    d.push(buffer);
    d.push(buffer);
    buffer.set(publish('a/c', v));
    d.push(buffer);
    buffer.set(publish('x/b', v));
    d.push(buffer);
    d.push(publish('a/b', v));
    expect(errors).toEqual([]);
    expect(packets.map((p) => (p.cmd === 'publish' ? p.topic : p.cmd))).toEqual([
      'a/b',
      'a/b',
      'a/c',
      'x/b',
      'a/b',
    ]);
  });

  it('gives topics of other lengths and non-ASCII ones exactly', () => {
    const { d, packets, errors } = decoder(v);
    const topics = ['t', 'tt', 't', 'сенсор/1', 'сенсор/2', 'сенсор/2', '🙂/x', ''];
    for (const topic of topics.slice(0, -1)) d.push(publish(topic, v));
    expect(errors).toEqual([]);
    expect(packets.map((p) => (p.cmd === 'publish' ? p.topic : p.cmd))).toEqual(
      topics.slice(0, -1),
    );
  });

  it('still refuses invalid UTF-8, U+0000 and a wildcard after a valid topic', () => {
    for (const bad of [
      [0xc3, 0x28], // invalid UTF-8 sequence
      [0x61, 0x00], // U+0000
      [0x61, 0x2b], // "a+": a wildcard in a Topic Name
    ]) {
      const { d, packets, errors } = decoder(v);
      const good = publish('a/', v);
      d.push(good);
      // The same frame with the 2-byte topic "a/" replaced by the bad bytes.
      const frame = Uint8Array.from(good);
      frame.set(bad, 4);
      d.push(frame);
      expect(packets).toHaveLength(1);
      expect(errors, String(bad)).toHaveLength(1);
    }
  });
});
