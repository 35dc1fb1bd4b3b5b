import type { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, context, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/** Where the OpenTelemetry API (1.x) keeps its registered globals, the context manager among them. */
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

/**
 * OpenTelemetry's AsyncLocalStorage context manager, with two shortcuts for the code that runs for
 * every request and every event it emits. Through the API, `context.with(ctx, fn, …)` finds the
 * registered manager (two global lookups and a version check), and then the API, the manager and the
 * storage each gather the arguments into a new array; `applyIn` and `activeIn` go to the storage
 * directly. Everything else (`bind`, `attach`, the API's own calls) is OpenTelemetry's.
 */
export class SightlineContextManager extends AsyncLocalStorageContextManager {
  private readonly storage: AsyncLocalStorage<Context> | undefined;

  constructor() {
    super();
    // The storage the base class keeps (a TypeScript-private field). Should a release rename it, the
    // shortcuts fall back to the base class's methods.
    const storage = (this as unknown as { _asyncLocalStorage?: AsyncLocalStorage<Context> })
      ._asyncLocalStorage;
    this.storage = typeof storage?.run === 'function' ? storage : undefined;
  }

  /** `Reflect.apply(fn, thisArg, args)` with `ctx` active: `args` may be an `arguments` object. */
  applyIn<T>(ctx: Context, fn: (...args: never[]) => T, thisArg: unknown, args: ArrayLike<unknown>): T {
    if (this.storage === undefined) return super.with(ctx, Reflect.apply, undefined, fn, thisArg, args) as T;
    return this.storage.run(ctx, Reflect.apply, fn, thisArg, args) as T;
  }

  /** The active context (the manager's own `active`, without the API's lookup of the manager). */
  current(): Context {
    return this.storage === undefined ? this.active() : (this.storage.getStore() ?? ROOT_CONTEXT);
  }
}

/** The manager `startTracing` registered, while it is the API's registered one. */
function registeredManager(): SightlineContextManager | undefined {
  const manager = (globalThis as { [API_GLOBALS]?: { context?: unknown } })[API_GLOBALS]?.context;
  return manager instanceof SightlineContextManager ? manager : undefined;
}

/**
 * `fn.apply(thisArg, args)` in `ctx`: straight to the storage when our manager is the registered one
 * (checked on every call: whoever calls `context.disable()` must not leave us writing to a storage
 * nobody reads), through the API otherwise.
 */
export function applyInContext<T>(
  ctx: Context,
  fn: (...args: never[]) => T,
  thisArg: unknown,
  args: ArrayLike<unknown>,
): T {
  const manager = registeredManager();
  if (manager !== undefined) return manager.applyIn(ctx, fn, thisArg, args);
  return context.with(ctx, Reflect.apply, undefined, fn, thisArg, args) as T;
}

/** The active context, as `context.active()` answers it. */
export function activeContext(): Context {
  const manager = registeredManager();
  return manager === undefined ? context.active() : manager.current();
}
