/**
 * An append-only list shown newest first, bounded so a busy topic cannot grow the page forever,
 * and never showing an entry cut mid-line (`fit-entries.ts`).
 */
import { fitWholeEntries } from './fit-entries.js';

export interface LogList {
  add(text: string, kind?: string): HTMLLIElement;
  readonly size: number;
}

const time = (): string => new Date().toISOString().slice(11, 23);

export function createLogList(list: HTMLElement, limit = 200): LogList {
  let size = 0;
  const refit = fitWholeEntries(list);
  return {
    add(text, kind) {
      const item = document.createElement('li');
      if (kind) item.className = kind;
      const stamp = document.createElement('time');
      stamp.textContent = time();
      item.append(stamp, document.createTextNode(` ${text}`));
      list.prepend(item);
      size++;
      while (list.childElementCount > limit) list.lastElementChild?.remove();
      refit();
      return item;
    },
    get size() {
      return size;
    },
  };
}
