import type {
  LocalStats,
  Rejection,
  RequestRecord,
  StoredItem,
  StoredLogEvent,
  StoredSegment,
  StoredSpan,
} from './types';

/** Memory caps, in records, per store. Past a cap the oldest record is evicted and counted. */
export interface StoreLimits {
  /** Default 50,000. */
  maxSpans?: number;
  /** Default 50,000. */
  maxSegments?: number;
  /** Default 100,000. */
  maxLogEvents?: number;
  /** Default 10,000. */
  maxItems?: number;
  /** Default 10,000. */
  maxRequests?: number;
  /** Default 10,000. */
  maxRejections?: number;
}

/**
 * An append-only list that keeps at most `cap` records, evicting the oldest first.
 * Eviction is batched (a tenth of the cap at a time) so that a full list costs one splice per
 * many appends instead of one `shift()` (O(n)) per append.
 */
export class CappedList<T> {
  private items: T[] = [];
  evicted = 0;

  constructor(private readonly cap: number) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.cap) {
      const excess = this.items.length - this.cap;
      const drop = Math.min(this.items.length, Math.max(excess, Math.ceil(this.cap / 10)));
      this.items.splice(0, drop);
      this.evicted += drop;
    }
  }

  /** Removes the records that match (used by `DeleteLogGroup`); not counted as evicted. */
  removeWhere(predicate: (item: T) => boolean): void {
    this.items = this.items.filter((item) => !predicate(item));
  }

  all(): readonly T[] {
    return this.items;
  }

  get size(): number {
    return this.items.length;
  }

  /** Empties the list and resets the eviction count. */
  clear(): void {
    this.items = [];
    this.evicted = 0;
  }
}

/** Everything the receivers store, with a change signal for `waitFor`. */
export class Store {
  readonly spans: CappedList<StoredSpan>;
  readonly segments: CappedList<StoredSegment>;
  readonly logEvents: CappedList<StoredLogEvent>;
  readonly items: CappedList<StoredItem>;
  readonly requests: CappedList<RequestRecord>;
  readonly rejections: CappedList<Rejection>;
  private readonly listeners = new Set<() => void>();

  constructor(limits: StoreLimits = {}) {
    this.spans = new CappedList(limits.maxSpans ?? 50_000);
    this.segments = new CappedList(limits.maxSegments ?? 50_000);
    this.logEvents = new CappedList(limits.maxLogEvents ?? 100_000);
    this.items = new CappedList(limits.maxItems ?? 10_000);
    this.requests = new CappedList(limits.maxRequests ?? 10_000);
    this.rejections = new CappedList(limits.maxRejections ?? 10_000);
  }

  /** Called by receivers after each change; wakes every `waitFor`. */
  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reject(rejection: Rejection): void {
    this.rejections.push(rejection);
  }

  clear(): void {
    for (const list of this.lists()) list.clear();
    this.changed();
  }

  stats(): LocalStats {
    return {
      spans: this.spans.size,
      segments: this.segments.size,
      logEvents: this.logEvents.size,
      items: this.items.size,
      requests: this.requests.size,
      rejections: this.rejections.size,
      evicted: {
        spans: this.spans.evicted,
        segments: this.segments.evicted,
        logEvents: this.logEvents.evicted,
        items: this.items.evicted,
        requests: this.requests.evicted,
        rejections: this.rejections.evicted,
      },
    };
  }

  private lists(): CappedList<unknown>[] {
    return [this.spans, this.segments, this.logEvents, this.items, this.requests, this.rejections];
  }
}
