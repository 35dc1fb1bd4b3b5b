/**
 * Tracks which accepted events are settled (acknowledged or counted as dropped), so that `flush()`
 * can resolve exactly when everything accepted before it is settled. Sequence numbers are handed out
 * in order; `lowWater` is the smallest one not yet settled.
 */
export class SettleTracker {
  private next = 0;
  private low = 0;
  // Settled numbers above the low-water mark (events settle out of order across streams).
  private readonly ahead = new Set<number>();
  private waiters: { barrier: number; resolve: () => void }[] = [];

  take(): number {
    return this.next++;
  }

  /** Every sequence number below this is settled. */
  get lowWater(): number {
    return this.low;
  }

  get nextSeq(): number {
    return this.next;
  }

  settle(seq: number): void {
    if (seq === this.low) {
      this.low++;
      while (this.ahead.delete(this.low)) this.low++;
    } else if (seq > this.low) {
      this.ahead.add(seq);
    }
  }

  /** Resolves once every event numbered below `barrier` is settled. */
  waitFor(barrier: number): Promise<void> {
    if (this.low >= barrier) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ barrier, resolve }));
  }

  /** Resolves the waiters whose barrier is reached; call after a round of `settle`. */
  release(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.low >= w.barrier) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
