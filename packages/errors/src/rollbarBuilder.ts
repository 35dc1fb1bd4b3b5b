import { createRequire } from 'node:module';
import type { RollbarRequest } from './requestContext';
import type { ResolvedErrorsConfig, RollbarLevel } from './types';

/** Item data as Rollbar builds it (`{ environment, level, body, request, server, notifier, … }`). */
export type ItemData = Record<string, unknown>;

/** Called once per item: with Rollbar's finished data, or with none when Rollbar did not build it. */
export type BuiltCallback = (data: ItemData | undefined, error?: unknown) => void;

/**
 * The seam in front of the `rollbar` package. Rollbar builds each item (uuid, stack parsing into
 * `trace_chain`, request data, its scrubber, levels, server data); delivery is ours (`ItemSender`),
 * because rollbar 3.1.0's transport has no request timeout, cannot tell a 401 from a 400, and its retry
 * interval is never cleared (it would keep the process alive for good).
 */
export interface ItemBuilder {
  /** Returns the occurrence uuid, or `undefined` when Rollbar refused the call. */
  build(
    level: RollbarLevel,
    subject: Error | string,
    request: RollbarRequest | undefined,
    done: BuiltCallback,
  ): string | undefined;
}

/** The parts of the rollbar 3.1.0 API used here; its bundled `.d.ts` does not type-check. */
interface RollbarInstance {
  critical(...args: unknown[]): { uuid?: string } | undefined;
  error(...args: unknown[]): { uuid?: string } | undefined;
  warning(...args: unknown[]): { uuid?: string } | undefined;
  info(...args: unknown[]): { uuid?: string } | undefined;
  debug(...args: unknown[]): { uuid?: string } | undefined;
}
interface RollbarConstructor {
  new (options: Record<string, unknown>): RollbarInstance;
  defaultOptions?: { scrubFields?: string[]; scrubHeaders?: string[] };
}

let rollbarCtor: RollbarConstructor | undefined;

/**
 * Loads rollbar's CommonJS bundle, on first use only: a disabled backend never loads it, and the
 * one-file bundle starts in about a third of the time of its ESM entry's module tree.
 */
function rollbarConstructor(): RollbarConstructor {
  if (rollbarCtor) return rollbarCtor;
  const mod = createRequire(import.meta.url)('rollbar') as
    | RollbarConstructor
    | { default: RollbarConstructor };
  rollbarCtor = typeof mod === 'function' ? mod : mod.default;
  return rollbarCtor;
}

/**
 * The Rollbar-backed builder, created at the first item: loading rollbar and its dependencies is
 * most of this backend's start-up time (about 30 ms here), and most processes report no error in
 * their first seconds, or ever. The first item pays it once (its build already runs off the request
 * path, on the next turn of the loop).
 */
export function createRollbarBuilder(config: ResolvedErrorsConfig): ItemBuilder {
  let builder: ItemBuilder | undefined;
  return {
    build(level, subject, request, done) {
      try {
        builder ??= rollbarBackedBuilder(config);
      } catch (error) {
        // Counted as an item Rollbar did not build; the next report tries again.
        done(undefined, error);
        return undefined;
      }
      return builder.build(level, subject, request, done);
    },
  };
}

function rollbarBackedBuilder(config: ResolvedErrorsConfig): ItemBuilder {
  const Ctor = rollbarConstructor();
  // Items whose data reached the last hook; keyed by our per-item callback, which Rollbar passes back
  // among the original arguments. Building can be synchronous or not (stack frames read source files).
  const built = new WeakMap<Function, ItemData>();
  const instance = new Ctor({
    accessToken: config.accessToken,
    environment: config.environment,
    codeVersion: config.codeVersion,
    root: config.root ?? process.cwd(),
    captureIp: config.captureIp,
    scrubFields: [...(Ctor.defaultOptions?.scrubFields ?? []), ...config.scrubFields],
    scrubHeaders: [...(Ctor.defaultOptions?.scrubHeaders ?? []), ...config.scrubHeaders],
    // Rollbar builds; we deliver. Rollbar must not own process events or print to the console.
    transmit: false,
    captureUncaught: false,
    captureUnhandledRejections: false,
    autoInstrument: false,
    logLevel: 'disable',
    onSendCallback(_isUncaught: boolean, args: ArrayLike<unknown> | undefined, data: ItemData) {
      try {
        for (const arg of Array.from(args ?? [])) {
          if (typeof arg === 'function') built.set(arg, data);
        }
      } catch {
        // Rollbar removes a throwing hook for good; never throw here.
      }
    },
  });

  return {
    build(level, subject, request, done) {
      let called = false;
      const callback = (error: unknown) => {
        if (called) return;
        called = true;
        const data = built.get(callback);
        built.delete(callback);
        done(data, data ? undefined : error);
      };
      try {
        const args: unknown[] = request ? [subject, request, callback] : [subject, callback];
        const result = instance[level](...args);
        return typeof result?.uuid === 'string' ? result.uuid : undefined;
      } catch (error) {
        callback(error);
        return undefined;
      }
    },
  };
}
