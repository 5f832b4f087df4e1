import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIncomingAliases, createOutgoingAliases } from '../src/topic-aliases.js';

describe('createOutgoingAliases', () => {
  it('sends plain topics when the broker allows no aliases', () => {
    const out = createOutgoingAliases(0);
    expect(out.apply('a')).toEqual({ topic: 'a' });
    expect(out.apply('a')).toEqual({ topic: 'a' });
    expect('alias' in out.apply('a')).toBe(false);
  });

  it('binds a free alias on first use, then sends the alias alone', () => {
    const out = createOutgoingAliases(3);
    expect(out.apply('sensors/1')).toEqual({ topic: 'sensors/1', alias: 1 });
    expect(out.apply('sensors/2')).toEqual({ topic: 'sensors/2', alias: 2 });
    expect(out.apply('sensors/1')).toEqual({ topic: '', alias: 1 });
    expect(out.apply('sensors/2')).toEqual({ topic: '', alias: 2 });
  });

  it('rebinds the least recently used alias when all are taken', () => {
    const out = createOutgoingAliases(2);
    out.apply('a'); // 1
    out.apply('b'); // 2
    out.apply('a'); // a is now the most recent
    expect(out.apply('c')).toEqual({ topic: 'c', alias: 2 }); // b was least recent
    expect(out.apply('a')).toEqual({ topic: '', alias: 1 });
    expect(out.apply('b')).toEqual({ topic: 'b', alias: 2 }); // c is least recent now
    expect(out.apply('c')).toEqual({ topic: 'c', alias: 1 });
  });

  it('works with a single alias', () => {
    const out = createOutgoingAliases(1);
    expect(out.apply('a')).toEqual({ topic: 'a', alias: 1 });
    expect(out.apply('a')).toEqual({ topic: '', alias: 1 });
    expect(out.apply('b')).toEqual({ topic: 'b', alias: 1 });
    expect(out.apply('a')).toEqual({ topic: 'a', alias: 1 });
  });

  it('leaves an empty topic alone (the codec refuses it)', () => {
    const out = createOutgoingAliases(2);
    expect(out.apply('')).toEqual({ topic: '' });
    expect(out.apply('x')).toEqual({ topic: 'x', alias: 1 });
  });

  it('handles the largest maximum', () => {
    const out = createOutgoingAliases(65_535);
    for (let i = 1; i <= 100; i++)
      expect(out.apply(`t/${i}`)).toEqual({ topic: `t/${i}`, alias: i });
  });

  it('always lets a conforming receiver recover the topic, with aliases in 1..maximum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.constantFrom('a', 'b', 'c', 'd/e', 'f/+x', 'g', 'h', 'i', 'j'), {
          maxLength: 200,
        }),
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }),
        (maximum, topics, resets) => {
          let out = createOutgoingAliases(maximum);
          let broker = createIncomingAliases(maximum);
          let max = maximum;
          // New connections at fixed positions, each with its own maximum.
          const resetAt = new Map(resets.map((m, i) => [(i + 1) * 37, m]));
          topics.forEach((topic, i) => {
            const next = resetAt.get(i);
            if (next !== undefined) {
              // A new connection: both ends start from nothing [MQTT-3.3.2-7].
              max = next;
              out = createOutgoingAliases(max);
              broker = createIncomingAliases(max);
            }
            const sent = out.apply(topic);
            if (max === 0) expect(sent.alias).toBeUndefined();
            if (sent.alias !== undefined) {
              expect(sent.alias).toBeGreaterThanOrEqual(1);
              expect(sent.alias).toBeLessThanOrEqual(max);
            }
            expect(broker.resolve(sent.topic, sent.alias)).toEqual({ topic });
          });
        },
      ),
    );
  });

  it('sends each topic in full only when its alias is new or rebound (LRU model)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 150 }),
        (maximum, picks) => {
          const out = createOutgoingAliases(maximum);
          // Model: most recent last.
          const lru: string[] = [];
          for (const p of picks) {
            const topic = `t${p}`;
            const sent = out.apply(topic);
            const at = lru.indexOf(topic);
            if (at >= 0) {
              expect(sent.topic).toBe('');
              lru.splice(at, 1);
            } else {
              expect(sent.topic).toBe(topic);
              if (lru.length === maximum) lru.shift();
            }
            lru.push(topic);
          }
        },
      ),
    );
  });
});

describe('createIncomingAliases', () => {
  const cases: [string, number, [string, number | undefined][], { topic: string } | number][] = [
    ['a plain topic', 2, [['a/b', undefined]], { topic: 'a/b' }],
    ['a topic with an alias', 2, [['a/b', 1]], { topic: 'a/b' }],
    [
      'the alias alone after binding',
      2,
      [
        ['a/b', 1],
        ['', 1],
      ],
      { topic: 'a/b' },
    ],
    [
      'a rebound alias',
      2,
      [
        ['a', 2],
        ['b', 2],
        ['', 2],
      ],
      { topic: 'b' },
    ],
    ['alias 0', 2, [['a', 0]], 0x94],
    ['an alias above our maximum', 2, [['a', 3]], 0x94],
    ['any alias when we allowed none', 0, [['a', 1]], 0x94],
    ['a fractional alias', 2, [['a', 1.5]], 0x94],
    ['an unknown alias with an empty topic', 2, [['', 1]], 0x82],
    [
      'an unbound alias with an empty topic',
      2,
      [
        ['a', 1],
        ['', 2],
      ],
      0x82,
    ],
    ['an empty topic without an alias', 2, [['', undefined]], 0x82],
  ];

  it.each(cases)('resolves %s', (_name, maximum, calls, expected) => {
    const incoming = createIncomingAliases(maximum);
    let result: ReturnType<typeof incoming.resolve> = { topic: '' };
    for (const [topic, alias] of calls) result = incoming.resolve(topic, alias);
    if (typeof expected === 'number') {
      expect(result).toMatchObject({ error: expected });
      expect((result as { message: string }).message.length).toBeGreaterThan(0);
    } else {
      expect(result).toEqual(expected);
    }
  });
});
