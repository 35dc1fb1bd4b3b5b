/** Helpers for flush and shutdown: run-once, one shared deadline, and timers that never hold the process. */

/** Wraps an async function so that it runs once; later calls get the first call's promise. */
export function runOnce<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= Promise.resolve().then(fn);
    return result;
  };
}

/** A `setTimeout` that does not keep the process alive. */
export function unrefTimer(fn: () => void, ms: number): NodeJS.Timeout {
  const t = setTimeout(fn, ms);
  t.unref();
  return t;
}

/** Resolves after `ms` without keeping the process alive. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => unrefTimer(resolve, ms));
}

export type Settled<T> =
  | { status: 'done'; value: T }
  | { status: 'failed'; error: unknown }
  | { status: 'timeout' };

/**
 * Races a promise against a timeout. Never rejects: the outcome says whether it finished, failed or
 * ran out of time. The timer is unref'd and cleared.
 */
export function settleWithin<T>(promise: PromiseLike<T>, timeoutMs: number): Promise<Settled<T>> {
  return new Promise((resolve) => {
    const timer = unrefTimer(() => resolve({ status: 'timeout' }), Math.max(0, timeoutMs));
    Promise.resolve(promise).then(
      (value) => {
        clearTimeout(timer);
        resolve({ status: 'done', value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ status: 'failed', error });
      },
    );
  });
}

/** One deadline shared by several parallel tasks (the four backends' flushes). */
export class Deadline {
  readonly endsAt: number;
  constructor(
    timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.endsAt = now() + Math.max(0, timeoutMs);
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - this.now());
  }

  expired(): boolean {
    return this.remainingMs() === 0;
  }

  /** `settleWithin(promise, remaining time)`. */
  race<T>(promise: PromiseLike<T>): Promise<Settled<T>> {
    return settleWithin(promise, this.remainingMs());
  }
}
