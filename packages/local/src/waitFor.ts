import type { Store } from './store';

/** Options of `local.waitFor`. */
export interface WaitForOptions {
  /** How long to wait before rejecting. Default 5,000 ms. */
  timeoutMs?: number;
}

/** Rejected by `waitFor` when the predicate did not hold in time; the message says what was stored. */
export class WaitForTimeoutError extends Error {
  override name = 'WaitForTimeoutError';
}

/**
 * Resolves with the predicate's first truthy result. The predicate runs now, after every change the
 * receivers make, and every 50 ms (for predicates that depend on something else). A predicate that
 * throws (e.g. a failing `expect`) counts as "not yet"; its last error is quoted on timeout.
 */
export function waitFor<T>(
  store: Store,
  predicate: () => T | Promise<T>,
  options: WaitForOptions,
  describe: () => string,
): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    let settled = false;
    let running = false;
    let again = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      clearInterval(poll);
      clearTimeout(timer);
      fn();
    };
    const check = async (): Promise<void> => {
      // One evaluation at a time: an async predicate must not overlap itself.
      if (running) {
        again = true;
        return;
      }
      running = true;
      do {
        again = false;
        try {
          const value = await predicate();
          if (value) {
            finish(() => resolve(value as Exclude<T, false | 0 | '' | null | undefined>));
            break;
          }
        } catch (error) {
          lastError = error;
        }
      } while (again && !settled);
      running = false;
    };
    const unsubscribe = store.onChange(() => void check());
    const poll = setInterval(() => void check(), 50);
    poll.unref();
    const timer = setTimeout(() => {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      finish(() =>
        reject(new WaitForTimeoutError(`waitFor timed out after ${timeoutMs} ms (${describe()})${cause}`)),
      );
    }, timeoutMs);
    // Not unref()'d: the deadline is bounded, and a waiting caller must get its answer.
    void check();
  });
}
