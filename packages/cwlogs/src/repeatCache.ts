/**
 * A cache of computed strings (a redaction verdict, a JSON encoding) that keeps a value only once its key
 * has come back. The logger's lines repeat most of their strings (messages, paths, user agents), and
 * those are worth caching; ids, timestamps and interpolated messages never repeat, and caching them
 * cost more than computing them: every one entered the map, lived until the map filled (up to
 * `maxEntries`, long enough to be copied and promoted by the garbage collector), and then the whole map
 * was dropped, repeated values with it. A key seen once waits in a small set instead, cleared whenever
 * it fills.
 */
export class RepeatCache {
  private readonly values = new Map<string, string>();
  private readonly seenOnce = new Set<string>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxWaiting = 1024,
  ) {}

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  /** Keeps `value` for `key` if `key` was offered before (and not forgotten since); returns `value`. */
  offer(key: string, value: string): string {
    if (this.seenOnce.delete(key)) {
      if (this.values.size >= this.maxEntries) this.values.clear();
      this.values.set(key, value);
    } else {
      if (this.seenOnce.size >= this.maxWaiting) this.seenOnce.clear();
      this.seenOnce.add(key);
    }
    return value;
  }

  get size(): number {
    return this.values.size;
  }
}
