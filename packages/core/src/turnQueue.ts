/**
 * Work queued where it arises and done once per event-loop turn, in one `setImmediate`: a request's
 * telemetry (its spans' encoding, its X-Ray document, its access-log line) is written after the turn's
 * requests were served, all of a kind together, instead of one at a time between Node's own http work
 * for each response. The same work costs less that way: on the request-overhead benchmark, the three
 * moved to the end of the turn served 1.03–1.14× the requests per second of the code before, with all
 * four backends on (`docs/performance.md`, session 10).
 *
 * Bounded: past `maxItems` waiting, what waits is handled at once, before the new item joins. `drain()`
 * handles everything now (flush and shutdown call it first). `handle` must not throw; should it, the
 * item is skipped, never thrown into the host from the immediate.
 */
export class TurnQueue<T> {
  private items: T[] = [];
  private scheduled = false;
  private readonly onTurn = () => {
    this.scheduled = false;
    this.drain();
  };

  constructor(
    private readonly handle: (item: T) => void,
    private readonly maxItems: number,
  ) {}

  /** Items waiting for the end of the turn. */
  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.items.length >= this.maxItems) this.drain();
    this.items.push(item);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.onTurn);
    }
  }

  /** Handles every item waiting, in the order they came. */
  drain(): void {
    const items = this.items;
    if (items.length === 0) return;
    // A new array: what `handle` queues meanwhile waits for the next turn.
    this.items = [];
    for (let i = 0; i < items.length; i++) {
      try {
        this.handle(items[i] as T);
      } catch {
        // handlers report their own failures; one that throws loses its item, not the host
      }
    }
  }
}
