import { InvalidTopicError } from './errors.js';
import { stringProblem } from './utf8.js';

const SHARE_PREFIX = '$share/';

function checkString(kind: 'name' | 'filter', text: string): void {
  if (typeof text !== 'string') {
    throw new InvalidTopicError(kind, String(text), 'must be a string');
  }
  // [MQTT-4.7.3-1] Topic names and filters are at least one character long.
  if (text.length === 0) throw new InvalidTopicError(kind, text, 'must not be empty');
  const problem = stringProblem(text);
  if (problem) throw new InvalidTopicError(kind, text, problem);
}

/**
 * Throws `InvalidTopicError` (reasonCode 0x90) unless `name` is a valid Topic Name:
 * non-empty, no wildcards [MQTT-3.3.2-2], no U+0000, at most 65,535 UTF-8 bytes.
 */
export function validateTopic(name: string): void {
  checkString('name', name);
  if (name.includes('+') || name.includes('#')) {
    throw new InvalidTopicError('name', name, 'must not contain wildcards + or # [MQTT-3.3.2-2]');
  }
}

function checkFilterLevels(original: string, filter: string): void {
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#')) {
      // [MQTT-4.7.1-2] '#' occupies a whole level and is the last character of the filter.
      if (level !== '#' || i !== levels.length - 1) {
        throw new InvalidTopicError(
          'filter',
          original,
          "'#' must be the last level and alone in it [MQTT-4.7.1-2]",
        );
      }
    }
    // [MQTT-4.7.1-3] '+' occupies a whole level.
    if (level.includes('+') && level !== '+') {
      throw new InvalidTopicError(
        'filter',
        original,
        "'+' must be alone in its level [MQTT-4.7.1-3]",
      );
    }
  }
}

/**
 * Throws `InvalidTopicError` (reasonCode 0x8F) unless `filter` is a valid Topic Filter,
 * including the `$share/{group}/{filter}` form.
 */
export function validateTopicFilter(filter: string): void {
  checkString('filter', filter);
  const shared = splitShared(filter);
  if (shared) {
    checkFilterLevels(filter, shared.filter);
    return;
  }
  checkFilterLevels(filter, filter);
}

function splitShared(filter: string): { group: string; filter: string } | undefined {
  if (!filter.startsWith(SHARE_PREFIX)) return undefined;
  const rest = filter.slice(SHARE_PREFIX.length);
  const slash = rest.indexOf('/');
  const group = slash === -1 ? rest : rest.slice(0, slash);
  // [MQTT-4.8.2-1] ShareName is non-empty and has no '/', '+' or '#'. [MQTT-4.8.2-2] a filter follows.
  if (group.length === 0) {
    throw new InvalidTopicError('filter', filter, 'shared subscription group must not be empty');
  }
  if (group.includes('+') || group.includes('#')) {
    throw new InvalidTopicError(
      'filter',
      filter,
      'shared subscription group must not contain + or # [MQTT-4.8.2-1]',
    );
  }
  if (slash === -1 || slash === rest.length - 1) {
    throw new InvalidTopicError(
      'filter',
      filter,
      'shared subscription needs a topic filter after the group [MQTT-4.8.2-2]',
    );
  }
  return { group, filter: rest.slice(slash + 1) };
}

/**
 * Splits `$share/{group}/{filter}` into its parts; undefined for a non-shared filter.
 * Throws `InvalidTopicError` when the filter starts with `$share/` but is not a valid shared one.
 */
export function parseSharedSubscription(
  filter: string,
): { group: string; filter: string } | undefined {
  validateTopicFilter(filter);
  return splitShared(filter);
}

/**
 * Whether `topic` (a Topic Name) matches `filter`. A shared filter matches on its inner filter.
 * Topics starting with `$` are not matched by a leading `#` or `+` [MQTT-4.7.2-1].
 * Assumes both are valid; call the validators first for untrusted input.
 */
export function topicMatches(filter: string, topic: string): boolean {
  let f = filter;
  if (f.startsWith(SHARE_PREFIX)) {
    const slash = f.indexOf('/', SHARE_PREFIX.length);
    if (slash === -1) return false;
    f = f.slice(slash + 1);
  }
  if (topic.startsWith('$') && (f.startsWith('+') || f.startsWith('#'))) return false;
  const fl = f.split('/');
  const tl = topic.split('/');
  for (let i = 0; i < fl.length; i++) {
    const level = fl[i]!;
    // '#' also matches the parent level: 'a/#' matches 'a' [MQTT-4.7.1-2].
    if (level === '#') return true;
    if (i >= tl.length) return false;
    if (level !== '+' && level !== tl[i]) return false;
  }
  return fl.length === tl.length;
}
