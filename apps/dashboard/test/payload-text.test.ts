import { describe, expect, it } from 'vitest';
import { payloadText } from '../src/payload-text.js';
import { createTopicTree } from '../src/topic-tree.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

// The topic tree's bounds and payload display, without a browser (the page's own test sends real
// messages through aedes; these are the edges a broker rarely hands over on cue).
describe('topic tree payloads', () => {
  it('shows a payload cut inside a multi-byte character as the text before it, and what is missing', () => {
    const tree = createTopicTree(10, 4);
    // "€" is 3 bytes: a cap of 4 keeps "ab" and two bytes of the first "€", not valid UTF-8 alone.
    tree.record('t', bytes('ab€€'), { qos: 0, retain: false });
    const last = tree.find('t')?.last;
    expect(last?.payload.byteLength).toBe(4);
    expect(payloadText(last as NonNullable<typeof last>)).toEqual({
      kind: 'text',
      text: 'ab\n… 4 more bytes not kept',
    });
  });

  it('never parses a cut payload as JSON; shows binary as hex and an empty payload as such', () => {
    const tree = createTopicTree(10, 8);
    tree.record('json', bytes('{"a":1,"b":2}'), { qos: 1, retain: false });
    tree.record('bin', Uint8Array.of(0xff, 0x00, 0xfe), { qos: 0, retain: false });
    tree.record('none', new Uint8Array(0), { qos: 0, retain: true });
    const shown = (topic: string) => {
      const last = tree.find(topic)?.last;
      if (!last) throw new Error(`${topic} was not kept`);
      return payloadText(last);
    };
    expect(shown('json')).toEqual({ kind: 'text', text: '{"a":1,"\n… 5 more bytes not kept' });
    expect(shown('bin')).toEqual({ kind: 'binary', text: 'ff 00 fe' });
    expect(shown('none')).toEqual({ kind: 'empty', text: '(empty payload)' });
  });

  it('counts every level and stops adding topics at the cap', () => {
    const tree = createTopicTree(2);
    const flags = { qos: 0, retain: false } as const;
    tree.record('a/b', bytes('1'), flags);
    tree.record('a', bytes('2'), flags);
    tree.record('a/c', bytes('3'), flags);
    tree.record('a/b', bytes('4'), flags);
    expect(tree.topics).toBe(2);
    expect(tree.untracked).toBe(1);
    expect(tree.find('a')).toMatchObject({ count: 3, own: 1 });
    expect(tree.find('a/b')).toMatchObject({ count: 2, own: 2 });
    expect(tree.find('a/c')).toBeUndefined();
    expect(tree.root.count).toBe(3);
  });
});
