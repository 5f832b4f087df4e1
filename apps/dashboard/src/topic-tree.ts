/**
 * What the page has heard, per topic level: message counts and each topic's last payload. Bounded,
 * so a busy broker cannot grow the page without limit: at most `maxTopics` topics are tracked
 * (messages on further topics are only counted in `untracked`) and at most `maxPayloadBytes` of
 * each last payload are kept. With the defaults that is 1,000 topics x 4 KiB, about 4 MiB at most.
 */

export const MAX_TOPICS = 1000;
export const MAX_PAYLOAD_BYTES = 4096;

export interface LastMessage {
  /** The first `maxPayloadBytes` bytes of the payload (a copy). */
  readonly payload: Uint8Array;
  /** The payload's whole length; more than `payload.length` when it was cut. */
  readonly byteLength: number;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
}

export interface TopicNode {
  /** This level's name (may be empty: `a//b` has an empty middle level). */
  readonly level: string;
  /** The topic up to and including this level. */
  readonly topic: string;
  /** Messages on this topic and every topic below it. */
  count: number;
  /** Messages on exactly this topic, and the last of them (none when only deeper topics had some). */
  own: number;
  last?: LastMessage;
  readonly children: Map<string, TopicNode>;
}

export interface TopicTree {
  readonly root: TopicNode;
  /** Topics tracked (levels that received a message themselves). */
  readonly topics: number;
  /** Messages on topics past the cap, counted but not kept. */
  readonly untracked: number;
  record(topic: string, payload: Uint8Array, flags: { qos: 0 | 1 | 2; retain: boolean }): void;
  find(topic: string): TopicNode | undefined;
  clear(): void;
}

const newNode = (level: string, topic: string): TopicNode => ({
  level,
  topic,
  count: 0,
  own: 0,
  children: new Map(),
});

export function createTopicTree(
  maxTopics = MAX_TOPICS,
  maxPayloadBytes = MAX_PAYLOAD_BYTES,
): TopicTree {
  let root = newNode('', '');
  let topics = 0;
  let untracked = 0;

  const find = (topic: string): TopicNode | undefined => {
    let node: TopicNode | undefined = root;
    for (const level of topic.split('/')) node = node?.children.get(level);
    return node;
  };

  return {
    get root() {
      return root;
    },
    get topics() {
      return topics;
    },
    get untracked() {
      return untracked;
    },
    find,
    record(topic, payload, { qos, retain }) {
      const known = find(topic);
      if (!known?.own && topics >= maxTopics) {
        untracked++;
        return;
      }
      let node = root;
      node.count++;
      const levels = topic.split('/');
      levels.forEach((level, i) => {
        let child = node.children.get(level);
        if (!child) {
          child = newNode(level, levels.slice(0, i + 1).join('/'));
          node.children.set(level, child);
        }
        child.count++;
        node = child;
      });
      if (node.own === 0) topics++;
      node.own++;
      node.last = {
        payload: payload.slice(0, maxPayloadBytes),
        byteLength: payload.byteLength,
        qos,
        retain,
      };
    },
    clear() {
      root = newNode('', '');
      topics = 0;
      untracked = 0;
    },
  };
}
