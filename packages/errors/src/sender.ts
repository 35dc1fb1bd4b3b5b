import type { IncomingHttpHeaders } from 'node:http';
import type { Diagnostics, DropCounter } from '@sightline/core';
import type { ItemTransport, PostHandle, PostOutcome } from './httpTransport';

export interface SenderOptions {
  transport: ItemTransport;
  drops: DropCounter;
  diag: Diagnostics;
  /** Items queued, waiting for a retry or in flight, at most. */
  maxQueueSize: number;
  maxRetries: number;
  /** First back-off; doubled on each attempt. Default 250. */
  retryBaseMs?: number;
  /** Longest pause a 429's Retry-After can impose. Default 60 000. */
  maxThrottleMs?: number;
  maxConcurrent?: number;
}

interface Entry {
  json: string;
  uuid: string;
  attempts: number;
}

/**
 * Delivers serialized items one request each, a few in parallel. Bounded: past `maxQueueSize` the
 * newest item is dropped (the first errors of an incident are the telling ones). Every outcome is
 * counted: sent, or dropped by reason. Retry timers are unref'd: waiting never holds the process.
 */
export class ItemSender {
  private readonly queue: Entry[] = [];
  private readonly inFlight = new Map<Entry, PostHandle>();
  private readonly waiting = new Map<Entry, NodeJS.Timeout>();
  private idleWaiters: (() => void)[] = [];
  private pausedUntil = 0;
  private resumeTimer: NodeJS.Timeout | undefined;
  private unauthorized = false;
  private stopped = false;
  sent = 0;

  constructor(private readonly o: SenderOptions) {}

  get pending(): number {
    return this.queue.length + this.inFlight.size + this.waiting.size;
  }

  enqueue(json: string, uuid: string): void {
    const refusal = this.stopped
      ? 'after_shutdown'
      : this.unauthorized
        ? 'unauthorized'
        : this.pending >= this.o.maxQueueSize
          ? 'queue_full'
          : undefined;
    if (refusal) {
      this.o.drops.add(refusal);
      return;
    }
    this.queue.push({ json, uuid, attempts: 0 });
    this.pump();
  }

  /** Resolves when nothing is queued, waiting or in flight. */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops for good: in-flight requests are aborted, everything not delivered is counted `reason`. */
  stop(reason: 'shutdown_timeout' = 'shutdown_timeout'): void {
    if (this.stopped) return;
    this.stopped = true;
    const lost = this.pending;
    for (const timer of this.waiting.values()) clearTimeout(timer);
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    const handles = [...this.inFlight.values()];
    this.queue.length = 0;
    this.waiting.clear();
    this.inFlight.clear();
    for (const h of handles) h.abort();
    this.o.transport.close();
    this.o.drops.add(reason, lost);
    this.notifyIdle();
  }

  private pump(): void {
    const max = this.o.maxConcurrent ?? 4;
    while (!this.stopped && this.queue.length > 0 && this.inFlight.size < max) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) {
        this.resumeTimer ??= setTimeout(() => {
          this.resumeTimer = undefined;
          this.pump();
        }, wait).unref();
        return;
      }
      const entry = this.queue.shift()!;
      if (this.unauthorized) {
        this.o.drops.add('unauthorized');
        continue;
      }
      this.send(entry);
    }
    this.notifyIdle();
  }

  private send(entry: Entry): void {
    entry.attempts++;
    const handle = this.o.transport.post(entry.json);
    this.inFlight.set(entry, handle);
    handle.done.then(
      (outcome) => this.settle(entry, outcome),
      (error: unknown) => this.settle(entry, { kind: 'network', error: toError(error) }),
    );
  }

  private settle(entry: Entry, outcome: PostOutcome): void {
    if (!this.inFlight.delete(entry)) return; // stopped meanwhile: already counted
    try {
      this.classify(entry, outcome);
    } finally {
      this.pump();
    }
  }

  private classify(entry: Entry, outcome: PostOutcome): void {
    const { diag, drops } = this.o;
    if (outcome.kind === 'network') {
      this.retryOrDrop(entry, 'send_failed', `Rollbar unreachable (${describeError(outcome.error)})`);
      return;
    }
    const { status } = outcome;
    const apiError = apiErrorOf(outcome.body);
    if (status >= 200 && status < 300 && apiError === undefined) {
      this.sent++;
      return;
    }
    const detail = `HTTP ${status}${apiError ? `: ${apiError}` : ''}`;
    if (status === 401 || status === 403) {
      this.unauthorized = true;
      drops.add('unauthorized');
      diag.warnOnce(
        'unauthorized',
        `Rollbar refused the access token (${detail}); items are dropped. Check ROLLBAR_ACCESS_TOKEN: it must be a project token with the post_server_item scope.`,
      );
      return;
    }
    if (status === 429) {
      const pause = Math.min(
        throttleDelayMs(outcome.headers) ?? this.backoff(entry),
        this.o.maxThrottleMs ?? 60_000,
      );
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pause);
      if (entry.attempts > this.o.maxRetries) {
        drops.add('throttled_gave_up');
        diag.warnOnce('throttled', `Rollbar rate limit (${detail}); items past the retries are dropped`);
        return;
      }
      this.queue.unshift(entry);
      return;
    }
    if (status >= 500 || status === 408) {
      this.retryOrDrop(entry, 'send_failed', `Rollbar answered ${detail}`);
      return;
    }
    drops.add('rejected');
    diag.warnOnce(`rejected:${status}`, `Rollbar rejected an item (${detail})`);
  }

  private retryOrDrop(entry: Entry, reason: 'send_failed', message: string): void {
    if (entry.attempts > this.o.maxRetries) {
      this.o.drops.add(reason);
      this.o.diag.warnOnce(reason, `${message}; dropped after ${entry.attempts} attempts`);
      return;
    }
    const timer = setTimeout(() => {
      this.waiting.delete(entry);
      if (this.stopped) return;
      this.queue.unshift(entry);
      this.pump();
    }, this.backoff(entry)).unref();
    this.waiting.set(entry, timer);
  }

  /** 250 ms, 500 ms, 1 s… with ±20 % jitter so parallel senders do not retry in step. */
  private backoff(entry: Entry): number {
    const base = (this.o.retryBaseMs ?? 250) * 2 ** Math.max(0, entry.attempts - 1);
    return Math.round(Math.min(base, 30_000) * (0.8 + Math.random() * 0.4));
  }

  private notifyIdle(): void {
    if (this.pending !== 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** Rollbar's `{"err": 1, "message": …}`; `undefined` for a success body or an unparsable one. */
function apiErrorOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { err?: unknown; message?: unknown };
    if (parsed && typeof parsed === 'object' && parsed.err !== undefined && parsed.err !== 0) {
      return typeof parsed.message === 'string' ? parsed.message.slice(0, 200) : 'error';
    }
  } catch {
    // A non-JSON body: the status decides.
  }
  return undefined;
}

/** Retry-After (seconds or HTTP date), else Rollbar's `X-Rate-Limit-Remaining-Seconds`. */
export function throttleDelayMs(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const retryAfter = headers['retry-after'];
  if (typeof retryAfter === 'string' && retryAfter.trim() !== '') {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const remaining = Number(headers['x-rate-limit-remaining-seconds']);
  return Number.isFinite(remaining) && remaining > 0 ? remaining * 1000 : undefined;
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function describeError(e: Error): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
}
