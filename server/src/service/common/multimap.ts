// A map of lists: the indexes of the cross-file rules (mappings by role, by
// pattern, by account) add one value at a time under a key.

/** Appends `value` to the list under `key`, starting the list when there is none. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
