/** Operations waiting to be written are kept in plain arrays, in the order they came. */

/** Removes `item` (compared with ===) from `list`; false when it was not there (written or done). */
export function removeWaiting<T>(list: T[], item: T): boolean {
  const index = list.indexOf(item);
  if (index < 0) return false;
  list.splice(index, 1);
  return true;
}
