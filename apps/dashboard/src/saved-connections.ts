/**
 * Connections the user saved, in the browser's localStorage. A password is stored only when the
 * user ticks the box that says so (it is then plain text in this browser's storage); otherwise the
 * entry keeps the user name and the password is asked again.
 */

export const STORAGE_KEY = 'mqttkit-dashboard:connections';
/** More than anyone picks from by eye; keeps a runaway script from filling the storage. */
export const MAX_SAVED = 50;

export interface SavedConnection {
  readonly name: string;
  readonly url: string;
  readonly protocolVersion: 4 | 5;
  readonly keepalive: number;
  readonly username?: string;
  /** Present only when the user asked for it to be stored. */
  readonly password?: string;
}

const isSaved = (value: unknown): value is SavedConnection => {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.name === 'string' &&
    typeof entry.url === 'string' &&
    (entry.protocolVersion === 4 || entry.protocolVersion === 5) &&
    typeof entry.keepalive === 'number' &&
    (entry.username === undefined || typeof entry.username === 'string') &&
    (entry.password === undefined || typeof entry.password === 'string')
  );
};

/** The saved connections; whatever else is under the key (edited by hand, older) is skipped. */
export function loadSaved(storage: Storage): SavedConnection[] {
  try {
    const value: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter(isSaved) : [];
  } catch {
    return [];
  }
}

/** Saves `entry` under its name (replacing one of that name), first in the list. */
export function saveConnection(
  storage: Storage,
  entry: SavedConnection,
  storePassword: boolean,
): SavedConnection[] {
  const { password, username, ...rest } = entry;
  const kept: SavedConnection = {
    ...rest,
    ...(username ? { username } : {}),
    ...(storePassword && password ? { password } : {}),
  };
  const list = [kept, ...loadSaved(storage).filter((saved) => saved.name !== entry.name)];
  storage.setItem(STORAGE_KEY, JSON.stringify(list.slice(0, MAX_SAVED)));
  return list;
}

export function forgetConnection(storage: Storage, name: string): SavedConnection[] {
  const list = loadSaved(storage).filter((saved) => saved.name !== name);
  storage.setItem(STORAGE_KEY, JSON.stringify(list));
  return list;
}
