import { describe, expect, it } from 'vitest';
import {
  InvalidTopicError,
  parseSharedSubscription,
  topicMatches,
  validateTopic,
  validateTopicFilter,
} from '../src/index.js';

function topicError(fn: () => void): InvalidTopicError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidTopicError);
    return e as InvalidTopicError;
  }
  throw new Error('expected InvalidTopicError');
}

describe('validateTopic', () => {
  it.each(['a', 'a/b', '/', '/a', 'a/', 'a//b', '$SYS/x', ' ', 'ü/€/😀', 'x'.repeat(65535)])(
    'accepts %j',
    (name) => expect(() => validateTopic(name)).not.toThrow(),
  );
  it.each([
    ['', /must not be empty/],
    ['a/+', /wildcards/],
    ['a/#', /wildcards/],
    ['a+b', /wildcards/],
    ['a\u0000b', /U\+0000/],
    ['a\udc00', /lone surrogate/],
    ['x'.repeat(65536), /65535 UTF-8 bytes/],
    ['€'.repeat(21846), /65535 UTF-8 bytes/], // 65,538 bytes
  ])('refuses %j', (name, message) => {
    const err = topicError(() => validateTopic(name));
    expect(err.code).toBe('MQTTKIT_ERR_INVALID_TOPIC');
    expect(err.reasonCode).toBe(0x90);
    expect(err.message).toMatch(message);
  });
});

describe('validateTopicFilter', () => {
  it.each([
    'a',
    '#',
    '+',
    'a/#',
    'a/+/b',
    '+/+',
    '/+',
    '+/',
    'a//#',
    '$SYS/#',
    '$share/g/a/#',
    '$share/g/+',
  ])('accepts %j', (filter) => expect(() => validateTopicFilter(filter)).not.toThrow());
  it.each([
    ['', /must not be empty/],
    ['a/#/b', /'#' must be the last level/],
    ['a#', /'#' must be the last level/],
    ['#/', /'#' must be the last level/],
    ['a/b+', /'\+' must be alone/],
    ['+a', /'\+' must be alone/],
    ['a\u0000', /U\+0000/],
    ['$share/', /group must not be empty/],
    ['$share//a', /group must not be empty/],
    ['$share/g', /needs a topic filter/],
    ['$share/g/', /needs a topic filter/],
    ['$share/g+/a', /must not contain \+ or #/],
    ['$share/#/a', /must not contain \+ or #/],
    ['$share/g/a/#/b', /'#' must be the last level/],
  ])('refuses %j', (filter, message) => {
    const err = topicError(() => validateTopicFilter(filter));
    expect(err.reasonCode).toBe(0x8f);
    expect(err.message).toMatch(message);
  });
});

describe('parseSharedSubscription', () => {
  it('splits group and filter', () => {
    expect(parseSharedSubscription('$share/grp/a/+/b')).toEqual({ group: 'grp', filter: 'a/+/b' });
    expect(parseSharedSubscription('$share/g/#')).toEqual({ group: 'g', filter: '#' });
  });
  it('returns undefined for non-shared filters', () => {
    expect(parseSharedSubscription('a/b')).toBeUndefined();
    expect(parseSharedSubscription('$sharex/g/a')).toBeUndefined();
    expect(parseSharedSubscription('$SYS/#')).toBeUndefined();
  });
  it('throws on invalid shared filters', () => {
    expect(() => parseSharedSubscription('$share/g')).toThrow(InvalidTopicError);
  });
});

describe('topicMatches', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/+', 'a', false],
    ['a/+', 'a/', true],
    ['+/+', '/a', true],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'ab', false],
    ['#', 'a/b', true],
    ['#', '/', true],
    ['+', 'a', true],
    ['+', 'a/b', false],
    ['a/+/c', 'a/x/c', true],
    ['a/+/c', 'a/x/d', false],
    ['#', '$SYS/broker', false],
    ['+/broker', '$SYS/broker', false],
    ['$SYS/#', '$SYS/broker', true],
    ['$SYS/+', '$SYS/broker', true],
    ['a/#', '$a/b', false],
    ['$share/g/a/+', 'a/b', true],
    ['$share/g/#', '$SYS/x', false],
    ['A', 'a', false],
  ])('%j matches %j: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
