/**
 * Adds `value` to the list kept under `key`, starting the list when there is
 * none. In place: copying the list for each item added makes thousands of
 * items (a merge's moved rows, a check's problems put right) cost seconds.
 */
export function addToList<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key)
  if (list) list.push(value)
  else lists.set(key, [value])
}
