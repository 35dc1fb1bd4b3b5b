import type { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, context, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/**
 * OpenTelemetry's AsyncLocalStorage context manager, with two shortcuts for the code that runs for
 * every request and every event it emits. Through the API, `context.with(ctx, fn, …)` finds the
 * registered manager (a symbol-keyed lookup on the global object, and a version check), and then the
 * API, the manager and the storage each gather the arguments into a new array; `applyInContext` and
 * `activeContext` go to the storage directly. Everything else (`bind`, `attach`, the API's own calls)
 * is OpenTelemetry's.
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

  /** `context.disable()` calls this before it unregisters the manager: the shortcuts stop with it. */
  override disable(): this {
    if (registered === this) registered = undefined;
    return super.disable();
  }
}

/** Our manager while it is the API's registered one: set by `registerContextManager`, cleared by `disable`. */
let registered: SightlineContextManager | undefined;

/**
 * Registers `manager` as the API's global context manager; true when it was (none was registered).
 * Only a registered manager is used by the shortcuts, and only until `context.disable()` (the one way
 * the API lets a registered manager go, and it calls the manager's `disable` first).
 */
export function registerContextManager(manager: SightlineContextManager): boolean {
  if (!context.setGlobalContextManager(manager)) return false;
  registered = manager;
  return true;
}

/** `fn.apply(thisArg, args)` in `ctx`: straight to the storage when our manager is registered. */
export function applyInContext<T>(
  ctx: Context,
  fn: (...args: never[]) => T,
  thisArg: unknown,
  args: ArrayLike<unknown>,
): T {
  const manager = registered;
  if (manager !== undefined) return manager.applyIn(ctx, fn, thisArg, args);
  return context.with(ctx, Reflect.apply, undefined, fn, thisArg, args) as T;
}

/** The active context, as `context.active()` answers it. */
export function activeContext(): Context {
  const manager = registered;
  return manager === undefined ? context.active() : manager.current();
}
