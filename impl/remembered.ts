/**
 * Results of a pure computation remembered by key, the store emptied once it holds `max` of them: a
 * checker meets the same few keys (seeds, keys and digests, platform layouts) run after run. Callers
 * hand out copies of mutable results.
 */
export class Remembered<V> {
  private readonly store = new Map<string, V>();

  constructor(private readonly max: number) {}

  /** The result for `key`, made by `make` the first time (and again after the store was emptied). */
  get(key: string, make: () => V): V {
    let v = this.store.get(key);
    if (v === undefined) {
      v = make();
      if (this.store.size >= this.max) this.store.clear();
      this.store.set(key, v);
    }
    return v;
  }
}
