/**
 * The topic tree card: one row per topic level with its message count, and the selected topic's
 * last payload (`payload-text.ts`). Redrawn at most every `REDRAW_MS`, not per message, so a busy
 * subscription costs one redraw per interval.
 */
import { payloadText } from './payload-text.js';
import type { TopicNode, TopicTree } from './topic-tree.js';

const REDRAW_MS = 200;

export interface TopicTreeView {
  record(topic: string, payload: Uint8Array, flags: { qos: 0 | 1 | 2; retain: boolean }): void;
  clear(): void;
}

const byLevel = (a: TopicNode, b: TopicNode): number =>
  a.level < b.level ? -1 : a.level > b.level ? 1 : 0;

function rows(node: TopicNode, selected: string | undefined): HTMLUListElement {
  const list = document.createElement('ul');
  for (const child of [...node.children.values()].sort(byLevel)) {
    const item = document.createElement('li');
    const row = document.createElement('button');
    row.type = 'button';
    row.className = 'topic';
    row.dataset.topic = child.topic;
    row.disabled = child.own === 0;
    row.setAttribute('aria-pressed', String(child.topic === selected));
    const level = document.createElement('span');
    level.className = 'level';
    level.textContent = child.level === '' ? '(empty level)' : child.level;
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = String(child.count);
    row.append(level, count);
    item.append(row);
    if (child.children.size > 0) item.append(rows(child, selected));
    list.append(item);
  }
  return list;
}

function detail(node: TopicNode | undefined): HTMLElement[] {
  if (!node?.last) {
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.textContent = 'Subscribe (for example to #), then pick a topic to see its last payload.';
    return [hint];
  }
  const { last } = node;
  const title = document.createElement('h3');
  title.textContent = node.topic;
  const meta = document.createElement('p');
  meta.className = 'hint';
  const plural = node.own === 1 ? 'message' : 'messages';
  meta.textContent = `${node.own} ${plural}; last: QoS ${last.qos}${last.retain ? ', retained' : ''}, ${last.byteLength} bytes`;
  const shown = payloadText(last);
  const pre = document.createElement('pre');
  pre.id = 'topic-payload';
  pre.dataset.kind = shown.kind;
  pre.textContent = shown.text;
  return [title, meta, pre];
}

export function createTopicTreeView(
  tree: TopicTree,
  list: HTMLElement,
  pane: HTMLElement,
  summary: HTMLElement,
): TopicTreeView {
  let selected: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const redraw = (): void => {
    timer = undefined;
    list.replaceChildren(rows(tree.root, selected));
    pane.replaceChildren(...detail(selected === undefined ? undefined : tree.find(selected)));
    const past =
      tree.untracked > 0 ? `, ${tree.untracked} messages on further topics not kept` : '';
    summary.textContent = `${tree.topics} topics, ${tree.root.count} messages${past}`;
  };
  const later = (): void => {
    if (timer === undefined) timer = setTimeout(redraw, REDRAW_MS);
  };

  list.addEventListener('click', (event) => {
    const row = (event.target as Element).closest<HTMLButtonElement>('button.topic');
    if (!row?.dataset.topic) return;
    selected = row.dataset.topic;
    redraw();
  });
  redraw();
  return {
    record(topic, payload, flags) {
      tree.record(topic, payload, flags);
      // The first topic heard is shown until the user picks another.
      if (selected === undefined && tree.find(topic)?.own) selected = topic;
      later();
    },
    clear() {
      tree.clear();
      selected = undefined;
      later();
    },
  };
}
