/**
 * Values computed once per key and then remembered, for keys that repeat
 * (a client, a Host and path, a list's shape of filters). Keys may come from
 * clients, so at most `limit` are kept: when full, the memory starts over,
 * and a key still in use is computed once more.
 */
export class BoundedMemo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K, compute: (key: K) => V): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = compute(key);
      this.remember(key, value);
    }
    return value;
  }

  /** The value remembered for `key`, if any: for values computed asynchronously, then `remember`ed. */
  find(key: K): V | undefined {
    return this.values.get(key);
  }

  remember(key: K, value: V): void {
    if (this.values.size >= this.limit) this.values.clear();
    this.values.set(key, value);
  }

  forget(key: K): void {
    this.values.delete(key);
  }

  clear(): void {
    this.values.clear();
  }
}
