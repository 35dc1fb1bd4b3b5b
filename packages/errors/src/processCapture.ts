import type { Diagnostics } from '@sightline/core';
import type { RollbarLevel } from './types';

export interface ProcessCaptureDeps {
  report(error: unknown, level: RollbarLevel, origin: string): void;
  flush(timeoutMs: number): Promise<unknown>;
  timeoutMs: number;
  diag: Diagnostics;
}

/**
 * Opt-in capture of `uncaughtException` and `unhandledRejection`. Each is reported and flushed under
 * a deadline; then, when no other listener was there to decide, the process goes on exactly as it
 * would have without us: our listeners step aside and the failure is raised again for Node's own
 * handling (its print, its exit code, its `--unhandled-rejections` mode, `exit` listeners).
 * - an uncaught exception is raised again as an unhandled rejection of the same error when Node is
 *   in its default `throw` (or `strict`) mode: Node then prints it with the source line of where the
 *   error was created, as for the original throw, and exits with code 1. In other modes it is
 *   re-thrown from a fresh tick (same stack and exit code; the source excerpt shows the re-throw).
 * - an unhandled rejection, in the default `throw` mode, is rejected again, unhandled: Node prints it
 *   and exits 1 (if the process survives, our listeners come back). In the `warn`, `warn-with-error-code`
 *   and `none` modes Node has already acted when the event fires, so nothing more is done.
 * With other listeners for the event, the application decides and we only report and flush.
 * Returns the uninstaller (idempotent).
 */
export function installProcessCapture(deps: ProcessCaptureDeps): () => void {
  let installed = true;
  let crashing = false;
  // In `strict` mode one rejection reaches both listeners: report it once.
  const reported = new WeakSet<object>();
  const reportOnce = (value: unknown, level: RollbarLevel, origin: string) => {
    if (typeof value === 'object' && value !== null) {
      if (reported.has(value)) return;
      reported.add(value);
    }
    safe(() => deps.report(value, level, origin));
  };

  const listen = () => {
    if (!installed) return;
    if (!process.listeners('uncaughtException').includes(onUncaught))
      process.on('uncaughtException', onUncaught);
    if (!process.listeners('unhandledRejection').includes(onRejection))
      process.on('unhandledRejection', onRejection);
  };
  const stepAside = () => {
    process.removeListener('uncaughtException', onUncaught);
    process.removeListener('unhandledRejection', onRejection);
  };

  function onUncaught(err: unknown, origin: unknown): void {
    reportOnce(err, 'critical', String(origin ?? 'uncaughtException'));
    if (process.listenerCount('uncaughtException') > 1) {
      void deps.flush(deps.timeoutMs).catch(() => undefined);
      return;
    }
    if (crashing) return; // the first fatal error is raised again once its flush ends
    crashing = true;
    void settle(deps.flush(deps.timeoutMs), deps.timeoutMs).then(() => {
      stepAside();
      installed = false;
      // Only when no rejection listener would swallow it.
      const mode = rejectionMode();
      const viaRejection =
        process.listenerCount('unhandledRejection') === 0 && (mode === 'throw' || mode === 'strict');
      if (typeof err === 'object' && err !== null && viaRejection) {
        void Promise.reject(err);
      } else {
        process.nextTick(() => {
          throw err;
        });
      }
    });
  }

  function onRejection(reason: unknown): void {
    reportOnce(reason, 'error', 'unhandledRejection');
    // Only the default `throw` mode acts after the event; `warn`, `warn-with-error-code` and `none`
    // have already done their part, and `strict` went through `uncaughtException` first.
    if (process.listenerCount('unhandledRejection') > 1 || rejectionMode() !== 'throw') {
      void deps.flush(deps.timeoutMs).catch(() => undefined);
      return;
    }
    void settle(deps.flush(deps.timeoutMs), deps.timeoutMs).then(() => {
      stepAside();
      void Promise.reject(reason);
      // Node handles the rejection once the microtask queue drains; if the process survives
      // (a non-fatal mode), listen again.
      setImmediate(listen).unref();
    });
  }

  listen();
  return () => {
    if (!installed) return;
    installed = false;
    stepAside();
  };

  function safe(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      deps.diag.debug(`process capture: report failed: ${String(e)}`);
    }
  }
}

/** Node's `--unhandled-rejections` mode (`throw` when not set), from the command line or NODE_OPTIONS. */
export function rejectionMode(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): string {
  let mode = 'throw';
  for (const flag of [...(nodeOptions ?? '').split(/\s+/), ...execArgv]) {
    const m = /^--unhandled-rejections=([\w-]+)$/.exec(flag);
    if (m) mode = m[1]!;
  }
  return mode;
}

/**
 * Settles with the flush, holding the process open meanwhile: our own timers are unref'd, and
 * without this a process whose loop is otherwise empty would exit 0 in the middle of a crash.
 */
function settle(p: Promise<unknown>, timeoutMs: number): Promise<void> {
  const keepAlive = setTimeout(() => undefined, timeoutMs + 1000);
  return p.then(
    () => clearTimeout(keepAlive),
    () => clearTimeout(keepAlive),
  );
}
