/** Why telemetry was not delivered. Every package counts its drops under these names. */
export type DropReason =
  | 'queue_full'
  | 'too_large'
  | 'too_old'
  | 'too_new'
  | 'rejected'
  | 'throttled_gave_up'
  | 'send_failed'
  | 'unauthorized'
  | 'shutdown_timeout'
  | 'after_shutdown'
  | 'invalid'
  | 'not_sampled'
  | 'export_timeout'
  | 'expired'
  | 'rate_limited'
  | (string & {});

export type DropCounts = Record<string, number>;

/**
 * Counts dropped items by reason. With a `warn` callback, the first drop of each reason is announced
 * once (later drops are only counted: the totals are in `snapshot()` and the shutdown report).
 */
export class DropCounter {
  private readonly counts = new Map<string, number>();
  constructor(private readonly onFirstDrop?: (reason: DropReason, count: number) => void) {}

  add(reason: DropReason, count = 1): void {
    if (count <= 0) return;
    const before = this.counts.get(reason) ?? 0;
    this.counts.set(reason, before + count);
    if (before === 0 && this.onFirstDrop) {
      try {
        this.onFirstDrop(reason, count);
      } catch {
        // counting must never throw into the caller
      }
    }
  }

  get(reason: DropReason): number {
    return this.counts.get(reason) ?? 0;
  }

  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  snapshot(): DropCounts {
    return Object.fromEntries(this.counts);
  }
}

/** What one backend reports on flush, shutdown and in `stats()`. */
export interface BackendReport {
  /** Items acknowledged by the backend. */
  sent: number;
  /** Items given up on, by reason. */
  dropped: DropCounts;
  /** Items still queued or in flight (after shutdown: what the deadline cut off). */
  pending: number;
}
