/**
 * MQTT 5 Topic Aliases, one mapping per direction and per connection: mappings never carry over
 * to a new Network Connection [MQTT-3.3.2-7], so the session makes new tables on every CONNACK.
 * Each table is made for one maximum, already checked (0..65535) by the codec (CONNACK) or by
 * `resolveOptions` (ours), so it is not checked again here.
 *
 * Outgoing: we may use aliases 1..N, where N is the broker's CONNACK Topic Alias Maximum
 * [MQTT-3.3.2-9] (absent or 0: none at all [MQTT-3.2.2-18]); never alias 0 [MQTT-3.3.2-8].
 * Incoming: the broker may use 1..M, where M is the Topic Alias Maximum we sent in CONNECT; we
 * must accept all of them [MQTT-3.3.2-10], and anything else is the broker's error
 * [MQTT-3.3.2-11] [MQTT-3.1.2-29] [MQTT-3.1.2-30].
 */

/** How to send one PUBLISH's topic: `topic` '' plus `alias` means "the alias alone". */
export interface OutgoingTopic {
  topic: string;
  alias?: number;
}

export interface OutgoingAliases {
  /**
   * Decides how the next PUBLISH to `topic` is sent, and records the mapping as sent. Call it
   * when the PUBLISH is encoded, in send order, never ahead of time: the broker learns a
   * mapping from the packet that carries it. Keep the full topic in stored in-flight packets
   * and call `apply` again when resending on a new connection.
   */
  apply(topic: string): OutgoingTopic;
}

/**
 * Outgoing aliases with least-recently-used replacement.
 *
 * A topic's first use takes a free alias and sends both topic and alias; later uses send the
 * alias with an empty topic. When every alias is taken, the least recently used one is
 * re-bound to the new topic (sent with its topic again, which replaces the broker's mapping).
 * Memory is bounded by `max` entries: a Map from topic to alias, a topic per alias, and an
 * intrusive doubly linked list over alias numbers for the LRU order. `apply` allocates only its
 * result object.
 */
export function createOutgoingAliases(max: number): OutgoingAliases {
  const byTopic = new Map<string, number>();
  const topics: string[] = [];
  // LRU list over aliases 1..max; index 0 is the sentinel (next = most recent, prev = least).
  const next = new Uint16Array(max === 0 ? 0 : max + 1);
  const prev = new Uint16Array(max === 0 ? 0 : max + 1);
  // Aliases handed out so far; below `max`, the next free one is `used + 1`.
  let used = 0;

  const unlink = (a: number): void => {
    next[prev[a]!] = next[a]!;
    prev[next[a]!] = prev[a]!;
  };

  const pushFront = (a: number): void => {
    const first = next[0]!;
    next[a] = first;
    prev[a] = 0;
    prev[first] = a;
    next[0] = a;
  };

  return {
    apply(topic: string): OutgoingTopic {
      // No aliases allowed, or nothing to alias (an empty topic is the codec's to refuse).
      if (max === 0 || topic.length === 0) return { topic };
      const known = byTopic.get(topic);
      if (known !== undefined) {
        if (next[0] !== known) {
          unlink(known);
          pushFront(known);
        }
        return { topic: '', alias: known };
      }
      let alias: number;
      if (used < max) {
        alias = ++used;
      } else {
        alias = prev[0]!; // least recently used
        unlink(alias);
        byTopic.delete(topics[alias]!);
      }
      topics[alias] = topic;
      byTopic.set(topic, alias);
      pushFront(alias);
      return { topic, alias };
    },
  };
}

/** The broker broke the alias rules; the client sends DISCONNECT with `error`. */
export interface AliasError {
  error: 0x82 | 0x94;
  message: string;
}

export interface IncomingAliases {
  /**
   * The topic an inbound PUBLISH is for. A non-empty topic with an alias (re)binds the alias;
   * an empty topic uses the alias's binding.
   * - alias 0 or above our maximum: 0x94 Topic Alias invalid [MQTT-3.3.2-8] [MQTT-3.3.2-11];
   * - empty topic with an alias never bound on this connection: 0x82 Protocol Error (3.3.4);
   * - empty topic and no alias: 0x82 Protocol Error [MQTT-3.3.2-1] (the codec refuses it first).
   */
  resolve(topic: string, alias: number | undefined): { topic: string } | AliasError;
}

/**
 * Incoming aliases. Memory is bounded by `max` (our Topic Alias Maximum, 0..65535): the
 * broker can bind at most that many aliases, each to one topic.
 */
export function createIncomingAliases(max: number): IncomingAliases {
  const byAlias = new Map<number, string>();
  return {
    resolve(topic: string, alias: number | undefined): { topic: string } | AliasError {
      if (alias === undefined) {
        if (topic.length === 0) {
          return { error: 0x82, message: 'PUBLISH has an empty topic and no Topic Alias' };
        }
        return { topic };
      }
      if (!Number.isInteger(alias) || alias < 1 || alias > max) {
        return {
          error: 0x94,
          message:
            max === 0
              ? `PUBLISH Topic Alias ${alias}, but we allowed none [MQTT-3.1.2-30]`
              : `PUBLISH Topic Alias ${alias} is outside 1-${max} [MQTT-3.3.2-11]`,
        };
      }
      if (topic.length > 0) {
        byAlias.set(alias, topic);
        return { topic };
      }
      const bound = byAlias.get(alias);
      if (bound === undefined) {
        return {
          error: 0x82,
          message: `PUBLISH Topic Alias ${alias} has no topic yet`,
        };
      }
      return { topic: bound };
    },
  };
}
