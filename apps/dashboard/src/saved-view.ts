/** The saved connections card: save what the header form holds, connect to or forget an entry. */
import { byId } from './dom.js';
import {
  forgetConnection,
  loadSaved,
  type SavedConnection,
  saveConnection,
} from './saved-connections.js';

export interface SavedViewHooks {
  /** What the page is set to now (the header's fields, the query's version and Keep Alive). */
  current(): Omit<SavedConnection, 'name'>;
  /** Puts an entry into the header's fields and connects to it. */
  open(entry: SavedConnection): void;
}

function entryRow(entry: SavedConnection): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.name = entry.name;
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'open';
  open.textContent = entry.name;
  const about = document.createElement('span');
  about.className = 'hint';
  const who = entry.username ? `${entry.username}@` : '';
  const secret = entry.password === undefined ? '' : ', password stored';
  about.textContent = ` ${who}${entry.url}, MQTT ${entry.protocolVersion === 5 ? '5.0' : '3.1.1'}${secret} `;
  const forget = document.createElement('button');
  forget.type = 'button';
  forget.className = 'forget';
  forget.textContent = 'Forget';
  forget.setAttribute('aria-label', `forget ${entry.name}`);
  item.append(open, about, forget);
  return item;
}

export function bindSavedConnections(storage: Storage, hooks: SavedViewHooks): void {
  const list = byId('saved-list');
  const show = (entries: readonly SavedConnection[]): void => {
    list.replaceChildren(...entries.map(entryRow));
  };
  byId<HTMLFormElement>('save-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const current = hooks.current();
    const name = byId<HTMLInputElement>('save-name').value.trim() || current.url;
    const storePassword = byId<HTMLInputElement>('save-password').checked;
    show(saveConnection(storage, { ...current, name }, storePassword));
  });
  list.addEventListener('click', (event) => {
    const button = (event.target as Element).closest('button');
    const name = button?.closest<HTMLLIElement>('li')?.dataset.name;
    if (!button || name === undefined) return;
    if (button.classList.contains('forget')) {
      show(forgetConnection(storage, name));
      return;
    }
    const entry = loadSaved(storage).find((saved) => saved.name === name);
    if (entry) hooks.open(entry);
  });
  show(loadSaved(storage));
}
