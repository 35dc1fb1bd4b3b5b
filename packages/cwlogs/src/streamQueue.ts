import { MAX_REQUEST_SPAN_MS } from './limits';

/** One accepted event waiting in a stream's queue or in flight. */
export interface QueuedEvent {
  message: string;
  timestamp: number;
  /** UTF-8 bytes + 26. */
  size: number;
  /** When it was accepted: its delivery deadline is `acceptedAt + sendIntervalMs`. */
  acceptedAt: number;
  seq: number;
  /** Already part of a request once (a retry): its deadline promise is kept. */
  attempted: boolean;
}

export interface PackLimits {
  maxBatchEvents: number;
  maxBatchBytes: number;
}

/** The queue of one (group, stream) destination, with its retry and set-up state. */
export class StreamQueue {
  events: QueuedEvent[] = [];
  bytes = 0;
  private sorted = true;
  /** `acceptedAt` of the oldest event never sent yet: drives the delivery deadline. */
  firstNewAt: number | undefined;
  /** Send everything queued, full batches or not (deadline reached, flush, retry). */
  drain = false;
  /** Failed events are waiting for `retryAt`. */
  retryPending = false;
  retryAt = 0;
  /** Consecutive failures: the exponent of the backoff. */
  failures = 0;
  lastFailure: 'throttled' | 'failed' | undefined;
  /** The stream exists (created by us or found to exist). */
  ready = false;
  creating: Promise<void> | undefined;
  inFlight = 0;

  constructor(
    readonly group: string,
    readonly stream: string,
  ) {}

  push(e: QueuedEvent): void {
    const last = this.events[this.events.length - 1];
    if (last !== undefined && e.timestamp < last.timestamp) this.sorted = false;
    this.events.push(e);
    this.bytes += e.size;
    if (!e.attempted && this.firstNewAt === undefined) this.firstNewAt = e.acceptedAt;
  }

  /** Puts events of a failed request back in front; they keep their order. */
  requeue(events: QueuedEvent[]): void {
    const first = this.events[0];
    const lastBack = events[events.length - 1];
    if (first !== undefined && lastBack !== undefined && first.timestamp < lastBack.timestamp)
      this.sorted = false;
    this.events = events.concat(this.events);
    for (const e of events) this.bytes += e.size;
  }

  /** Stable sort by timestamp (ties keep arrival order), only when an out-of-order event came in. */
  private ensureSorted(): void {
    if (this.sorted) return;
    this.events.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
    this.sorted = true;
  }

  /** Removes and returns the events whose timestamp is before `oldestAllowed` (too old for CloudWatch). */
  takeExpired(oldestAllowed: number): QueuedEvent[] {
    this.ensureSorted();
    let k = 0;
    while (k < this.events.length && this.events[k]!.timestamp < oldestAllowed) k++;
    return k === 0 ? [] : this.remove(k);
  }

  /**
   * Takes the next request's events, in timestamp order, within the limits and the 24 h span. A batch
   * that is not full is only taken when `partialAllowed` (deadline, flush or retry).
   */
  takeBatch(limits: PackLimits, partialAllowed: boolean): QueuedEvent[] | undefined {
    if (this.events.length === 0) return undefined;
    this.ensureSorted();
    const first = this.events[0]!.timestamp;
    let k = 0;
    let bytes = 0;
    let full = false;
    for (; k < this.events.length; k++) {
      const e = this.events[k]!;
      if (
        k === limits.maxBatchEvents ||
        bytes + e.size > limits.maxBatchBytes ||
        e.timestamp - first >= MAX_REQUEST_SPAN_MS
      ) {
        full = true;
        break;
      }
      bytes += e.size;
    }
    if (k === limits.maxBatchEvents) full = true;
    if (!full && !partialAllowed) return undefined;
    return this.remove(k);
  }

  private remove(k: number): QueuedEvent[] {
    const taken = this.events.splice(0, k);
    let hadNew = false;
    for (const e of taken) {
      this.bytes -= e.size;
      if (!e.attempted) hadNew = true;
    }
    if (hadNew) this.recomputeFirstNew();
    return taken;
  }

  private recomputeFirstNew(): void {
    let min: number | undefined;
    for (const e of this.events)
      if (!e.attempted && (min === undefined || e.acceptedAt < min)) min = e.acceptedAt;
    this.firstNewAt = min;
  }

  /** Whether at least one full batch is queued. */
  hasFullBatch(limits: PackLimits): boolean {
    return this.events.length >= limits.maxBatchEvents || this.bytes >= limits.maxBatchBytes;
  }

  /** Removes the queued event with the earliest timestamp (the `drop-oldest` overflow policy). */
  dropEarliest(): QueuedEvent | undefined {
    if (this.events.length === 0) return undefined;
    return this.remove(1)[0];
  }

  earliestTimestamp(): number | undefined {
    if (this.events.length === 0) return undefined;
    this.ensureSorted();
    return this.events[0]!.timestamp;
  }
}

/** Removes the queued event with the earliest timestamp across streams (the `drop-oldest` policy). */
export function dropEarliestQueued(streams: Iterable<StreamQueue>): QueuedEvent | undefined {
  let victim: StreamQueue | undefined;
  let earliest = Number.POSITIVE_INFINITY;
  for (const q of streams) {
    const t = q.earliestTimestamp();
    if (t !== undefined && t < earliest) {
      earliest = t;
      victim = q;
    }
  }
  return victim?.dropEarliest();
}
