import {
  type BackendReport,
  type Diagnostics,
  DropCounter,
  type DropReason,
  diagnostics,
} from '@sightline/core';
import { admitEvent } from './admit';
import type { BatcherOptions } from './batcherOptions';
import { type Clock, realClock } from './clock';
import { AGE_MARGIN_MS, eventSize, LOG_GROUP_NAME, MAX_AGE_MS, MAX_FUTURE_MS } from './limits';
import { backoffDelay, splitByRejection } from './retry';
import { classifyFailure, describeError, type RejectedLogEventsInfo } from './sender';
import { SettleTracker } from './settle';
import { ensureStream } from './setup';
import { sanitizeStreamName } from './streamName';
import { dropEarliestQueued, type QueuedEvent, StreamQueue } from './streamQueue';
import { WakeTimer } from './wakeTimer';

export type { BatcherOptions, Clock };

/** Queues kept before idle ones are forgotten. */
const MAX_IDLE_STREAMS = 1_000;

/** One log event handed to the batcher. */
export interface LogEventInput {
  message: string;
  /** ms since the epoch; default now. */
  timestamp?: number;
  /** Destination override; default the batcher's group and stream. */
  group?: string;
  stream?: string;
}

/**
 * The CloudWatch Logs batcher: one queue per (group, stream), every event in a request within
 * `sendIntervalMs` of being accepted, full batches sent at once, retries with capped exponential
 * backoff and jitter, bounded memory, every drop counted. Never throws into the caller.
 */
export class Batcher {
  private readonly streams = new Map<string, StreamQueue>();
  private readonly tracker = new SettleTracker();
  readonly drops: DropCounter;
  private readonly clock: Clock;
  private readonly diag: Diagnostics;
  private readonly random: () => number;
  private sent = 0;
  private queuedEvents = 0;
  private queuedBytes = 0;
  private inFlight = 0;
  private readonly controllers = new Set<AbortController>();
  // Batches in flight; one removed from here by `abandon` is already settled.
  private readonly flying = new Set<QueuedEvent[]>();
  private readonly wake: WakeTimer;
  private pumpQueued = false;
  private closed = false;
  // CloudWatch rejects events older than 14 days, or than the group's retention when we set one.
  private readonly maxAgeMs: number;

  constructor(private readonly o: BatcherOptions) {
    this.clock = o.clock ?? realClock;
    this.wake = new WakeTimer(this.clock, () => this.pump());
    this.diag = o.diagnostics ?? diagnostics('cwlogs');
    this.random = o.random ?? Math.random;
    this.maxAgeMs = Math.min(MAX_AGE_MS, (o.retentionInDays ?? 14) * 24 * 3600_000);
    this.drops = new DropCounter((reason, n) =>
      this.diag.warn(`dropped ${n} log event(s): ${reason} (further drops are counted in stats())`),
    );
  }

  /** Accepts one event; returns whether it was queued (otherwise it was counted as a drop). Never throws. */
  put(event: LogEventInput): boolean {
    try {
      return this.accept(event.message, event.timestamp, event.group, event.stream);
    } catch (error) {
      return this.failed(error);
    }
  }

  /** `put` without the event object (the logger's path). */
  putMessage(message: string, timestamp?: number, group?: string, stream?: string): boolean {
    try {
      return this.accept(message, timestamp, group, stream);
    } catch (error) {
      return this.failed(error);
    }
  }

  private failed(error: unknown): false {
    this.diag.warnOnce('put-failed', `could not queue a log event: ${describeError(error)}`);
    this.drops.add('invalid');
    return false;
  }

  private accept(
    message: string,
    timestamp: number | undefined,
    group: string | undefined,
    stream: string | undefined,
  ): boolean {
    if (this.closed) {
      this.drops.add('after_shutdown');
      return false;
    }
    const now = this.clock.now();
    // The common case (a string within the size limit, timestamp now) takes no intermediate objects:
    // every event held for up to `sendIntervalMs` is garbage the collector has to carry.
    const ts = timestamp === undefined ? now : Math.trunc(timestamp);
    if (
      typeof message === 'string' &&
      message.length > 0 &&
      ts <= now + MAX_FUTURE_MS &&
      ts >= now - this.maxAgeMs + AGE_MARGIN_MS
    ) {
      const size = eventSize(message);
      if (size <= this.o.maxEventBytes) {
        const queue = this.reserve(group, stream, 1, size);
        if (!queue) return false;
        this.pushEvent(queue, message, ts, size, now);
        this.queued(queue, 1, size, now);
        return true;
      }
    }
    const admitted = admitEvent(message, timestamp, now, {
      maxEventBytes: this.o.maxEventBytes,
      oversize: this.o.oversize,
      maxAgeMs: this.maxAgeMs,
    });
    if (!admitted.ok) {
      this.drops.add(admitted.reason);
      return false;
    }
    const { parts, sizes, bytes } = admitted;
    const queue = this.reserve(group, stream, parts.length, bytes);
    if (!queue) return false;
    for (let i = 0; i < parts.length; i++)
      this.pushEvent(queue, parts[i]!, admitted.timestamp, sizes[i]!, now);
    this.queued(queue, parts.length, bytes, now);
    return true;
  }

  /** The destination queue with room made for `count` events of `bytes`, or undefined (counted). */
  private reserve(
    group: string | undefined,
    stream: string | undefined,
    count: number,
    bytes: number,
  ): StreamQueue | undefined {
    const queue = this.queueFor(group, stream);
    if (!queue) {
      this.drops.add('invalid');
      return undefined;
    }
    if (!this.makeRoom(count, bytes)) {
      this.drops.add('queue_full', count);
      return undefined;
    }
    return queue;
  }

  private pushEvent(queue: StreamQueue, message: string, timestamp: number, size: number, now: number): void {
    queue.push({ message, timestamp, size, acceptedAt: now, seq: this.tracker.take(), attempted: false });
  }

  /** Bookkeeping after events were queued: totals, the delivery deadline, a full batch sent at once. */
  private queued(queue: StreamQueue, count: number, bytes: number, now: number): void {
    this.queuedEvents += count;
    this.queuedBytes += bytes;
    // A new deadline earlier than the armed timer (a retry timer can be later than it).
    this.wake.setIfEarlier(now + this.o.sendIntervalMs);
    if (queue.hasFullBatch(this.o)) this.schedulePump();
  }

  private defaultQueue: StreamQueue | undefined;

  private queueFor(group: string | undefined, stream: string | undefined): StreamQueue | undefined {
    if (group === undefined && stream === undefined) {
      this.defaultQueue ??= this.queueFor(this.o.logGroupName, this.o.logStreamName);
      return this.defaultQueue;
    }
    const g = group ?? this.o.logGroupName;
    const s = stream === undefined ? this.o.logStreamName : sanitizeStreamName(stream);
    const key = `${g}\u0000${s}`;
    let q = this.streams.get(key);
    if (q) return q;
    if (!LOG_GROUP_NAME.test(g)) return undefined;
    if (this.streams.size >= MAX_IDLE_STREAMS) this.forgetIdleStreams();
    q = new StreamQueue(g, s);
    this.streams.set(key, q);
    return q;
  }

  /**
   * Many distinct stream names (one per job, say) must not grow memory for ever: idle, empty queues
   * are forgotten; a later event for one of them re-creates it (and `CreateLogStream` is idempotent).
   */
  private forgetIdleStreams(): void {
    for (const [key, q] of this.streams) {
      if (q !== this.defaultQueue && q.events.length === 0 && q.inFlight === 0 && q.creating === undefined) {
        this.streams.delete(key);
      }
    }
  }

  private fits(events: number, bytes: number): boolean {
    return (
      this.queuedEvents + events <= this.o.maxQueueEvents && this.queuedBytes + bytes <= this.o.maxQueueBytes
    );
  }

  private makeRoom(events: number, bytes: number): boolean {
    if (this.fits(events, bytes)) return true;
    if (this.o.overflow === 'drop-newest') return false;
    // drop-oldest: remove queued (not in-flight) events with the earliest timestamps until it fits.
    while (!this.fits(events, bytes)) {
      const dropped = dropEarliestQueued(this.streams.values());
      if (!dropped) return false;
      this.settle([dropped], 'queue_full');
    }
    return true;
  }

  /** Resolves when every event accepted before the call is acknowledged or counted as dropped. */
  flush(): Promise<void> {
    const barrier = this.tracker.nextSeq;
    for (const q of this.streams.values()) if (q.events.length > 0) q.drain = true;
    this.pump();
    return this.tracker.waitFor(barrier);
  }

  /** Refuses new events from now on (counted `after_shutdown`). */
  close(): void {
    this.closed = true;
  }

  /** Gives up on everything still queued or in flight: counted under `reason`, requests aborted. */
  abandon(reason: DropReason): void {
    for (const q of this.streams.values()) {
      const left = q.events;
      q.events = [];
      q.bytes = 0;
      q.firstNewAt = undefined;
      this.settle(left, reason);
    }
    for (const batch of this.flying) this.settle(batch, reason);
    this.flying.clear();
    for (const c of this.controllers) c.abort();
    this.wake.clear();
  }

  stats(): BackendReport {
    return { sent: this.sent, dropped: this.drops.snapshot(), pending: this.queuedEvents };
  }

  /** Events accepted and not yet settled (queued or in flight). */
  get pending(): number {
    return this.queuedEvents;
  }

  private schedulePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Starts every request that is due and that the concurrency limit allows, then re-arms the timer. */
  private pump(): void {
    const now = this.clock.now();
    const oldestAllowed = now - this.maxAgeMs + AGE_MARGIN_MS;
    for (const q of this.streams.values()) {
      if (q.firstNewAt !== undefined && q.firstNewAt + this.o.sendIntervalMs <= now) q.drain = true;
      if (q.retryPending && q.retryAt <= now) {
        q.drain = true;
        q.retryPending = false;
      }
      const expired = q.takeExpired(oldestAllowed);
      if (expired.length > 0) this.settleExpired(q, expired);
    }
    let progress = true;
    while (progress && this.inFlight < this.o.maxConcurrentPuts) {
      progress = false;
      for (const q of this.sortedByUrgency()) {
        if (this.inFlight >= this.o.maxConcurrentPuts) break;
        if (q.events.length === 0) continue;
        const deadlineDue = q.firstNewAt !== undefined && q.firstNewAt + this.o.sendIntervalMs <= now;
        // Retries wait for their backoff; a new event's delivery deadline does not.
        if (q.retryAt > now && !deadlineDue) continue;
        const batch = q.takeBatch(this.o, q.drain);
        if (!batch) continue;
        if (q.events.length === 0) q.drain = false;
        this.dispatch(q, batch);
        progress = true;
      }
    }
    this.rearm(now);
  }

  private sortedByUrgency(): StreamQueue[] {
    const list = [...this.streams.values()];
    if (list.length > 1)
      list.sort(
        (a, b) => (a.firstNewAt ?? Number.POSITIVE_INFINITY) - (b.firstNewAt ?? Number.POSITIVE_INFINITY),
      );
    return list;
  }

  private settleExpired(q: StreamQueue, expired: QueuedEvent[]): void {
    const retried = expired.filter((e) => e.attempted);
    this.settle(retried, q.lastFailure === 'throttled' ? 'throttled_gave_up' : 'send_failed');
    this.settle(
      expired.filter((e) => !e.attempted),
      'too_old',
    );
  }

  private dispatch(q: StreamQueue, batch: QueuedEvent[]): void {
    for (const e of batch) e.attempted = true;
    this.flying.add(batch);
    this.inFlight++;
    q.inFlight++;
    void this.send(q, batch).finally(() => {
      this.inFlight--;
      q.inFlight--;
      this.pump();
      this.tracker.release();
    });
  }

  private async send(q: StreamQueue, batch: QueuedEvent[]): Promise<void> {
    const controller = new AbortController();
    this.controllers.add(controller);
    const timeout = this.clock.setTimeout(() => controller.abort(), this.o.requestTimeoutMs);
    try {
      if (!q.ready) await ensureStream(this.o, q, controller.signal);
      const result = await this.o.sender.putLogEvents(
        {
          logGroupName: q.group,
          logStreamName: q.stream,
          logEvents: batch.map((e) => ({ timestamp: e.timestamp, message: e.message })),
        },
        { signal: controller.signal },
      );
      if (!this.flying.delete(batch)) return;
      // Success: events of other failed requests of this stream may go at once.
      q.failures = 0;
      q.lastFailure = undefined;
      q.retryAt = 0;
      this.acknowledge(batch, result.rejectedLogEventsInfo);
    } catch (error) {
      if (this.flying.delete(batch)) this.fail(q, batch, error);
    } finally {
      this.clock.clearTimeout(timeout);
      this.controllers.delete(controller);
    }
  }

  private acknowledge(batch: QueuedEvent[], info: RejectedLogEventsInfo | undefined): void {
    for (const [events, outcome] of splitByRejection(batch, info)) this.settle(events, outcome);
  }

  private fail(q: StreamQueue, batch: QueuedEvent[], error: unknown): void {
    const kind = classifyFailure(error);
    switch (kind) {
      case 'credentials':
        this.diag.warnOnce(
          'credentials',
          `CloudWatch Logs refused the credentials (${describeError(error)}); events are dropped as 'unauthorized' until this is fixed`,
        );
        this.settle(batch, 'unauthorized');
        return;
      case 'invalid':
        this.diag.warnOnce(
          'invalid',
          `CloudWatch Logs rejected a request as invalid (${describeError(error)})`,
        );
        this.settle(batch, 'rejected');
        return;
      case 'fatal':
        this.diag.warnOnce(`fatal:${q.group}`, `sending to ${q.group} failed: ${describeError(error)}`);
        this.settle(batch, 'send_failed');
        return;
      default: {
        // throttled, retryable, not_found (the stream is re-created before the retry)
        q.lastFailure = kind === 'throttled' ? 'throttled' : 'failed';
        q.failures++;
        if (kind === 'not_found') {
          q.ready = false;
          // A stream deleted under us is not an overload: re-create it and retry at once, the first time.
          if (q.failures === 1) {
            q.retryPending = true;
            q.requeue(batch);
            return;
          }
        }
        const delay = backoffDelay(q.failures, this.o.retryBaseDelayMs, this.o.retryMaxDelayMs, this.random);
        q.retryAt = Math.max(q.retryAt, this.clock.now() + delay);
        q.retryPending = true;
        q.requeue(batch);
      }
    }
  }

  private settle(events: QueuedEvent[], outcome: DropReason | 'sent'): void {
    if (events.length === 0) return;
    let bytes = 0;
    for (const e of events) {
      bytes += e.size;
      this.tracker.settle(e.seq);
    }
    this.queuedEvents -= events.length;
    this.queuedBytes -= bytes;
    if (outcome === 'sent') this.sent += events.length;
    else this.drops.add(outcome, events.length);
    this.tracker.release();
  }

  /** Wakes at the next future deadline or retry time; work due now but blocked waits for an in-flight request to finish. */
  private rearm(now: number): void {
    let next = Number.POSITIVE_INFINITY;
    for (const q of this.streams.values()) {
      if (q.events.length === 0) continue;
      const deadline =
        q.firstNewAt === undefined ? Number.POSITIVE_INFINITY : q.firstNewAt + this.o.sendIntervalMs;
      if (deadline > now) next = Math.min(next, deadline);
      if ((q.retryPending || q.drain) && q.retryAt > now) next = Math.min(next, q.retryAt);
    }
    this.wake.set(next);
  }
}
