/**
 * Whether `value` is a thenable (a promise, or any object or function with a `then` method): what a
 * wrapper of sync-or-async work checks before it waits for the result.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
