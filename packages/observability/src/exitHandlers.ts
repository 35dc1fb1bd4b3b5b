import { diagnostics } from '@sightline/core';

const diag = diagnostics('observability');

export interface ExitHandlerHooks {
  /** Flush and stop everything under the shutdown deadline (runs once). */
  shutdown(): Promise<unknown>;
  /** Whether anything is still queued; `beforeExit` flushes only then, so it cannot loop. */
  hasPending(): boolean;
  /** Send what is queued without stopping. */
  flush(): Promise<unknown>;
  /**
   * `exit` (nothing can be sent any more): hand what waits for the end of the event-loop turn to its
   * backend, synchronously, so the backends' own exit accounting counts it.
   */
  finishTurn(): void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** Upper bound of the hold; the shutdown itself is bounded by `shutdownTimeoutMs` (at most 600 s). */
const HOLD_MS = 610_000;

/**
 * SIGTERM / SIGINT: flush everything, then let the process do what it would have done without us.
 * When the application listens for the signal itself, it keeps control of exit: we flush what is
 * queued and keep the backends open for the requests it is still draining. Otherwise we shut down,
 * then re-raise the signal once our listener is gone, so the default action runs and the exit status
 * is the conventional one (128 + signal number).
 * `beforeExit`: flush whatever is queued (nothing queued → no I/O → the process exits).
 * `exit`: what waits for the end of the turn goes to its backend, to be counted as unsent.
 * Returns a function that removes every listener it added.
 */
export function installExitHandlers(hooks: ExitHandlerHooks): () => void {
  let removed = false;
  const listeners = new Map<string, (...args: unknown[]) => void>();

  for (const signal of SIGNALS) {
    const onSignal = () => {
      const appHandlesIt = process.listeners(signal).some((l) => l !== onSignal);
      if (appHandlesIt) {
        // The application owns exit (it may still be draining requests): send what is queued now and
        // keep every backend open; its own shutdown, or beforeExit, sends the rest.
        hooks.flush().catch((err: unknown) => diag.error(`flush on ${signal} failed: ${String(err)}`));
        return;
      }
      remove();
      // Sightline's own timers are unref'd; this one is not, so the process cannot end quietly (exit 0)
      // in the middle of the flush, before the signal is re-raised. The shutdown deadline ends it sooner.
      const hold = setTimeout(() => {}, HOLD_MS);
      const reraise = () => {
        clearTimeout(hold);
        process.kill(process.pid, signal);
      };
      hooks.shutdown().then(reraise, (err: unknown) => {
        diag.error(`shutdown on ${signal} failed: ${String(err)}`);
        reraise();
      });
    };
    listeners.set(signal, onSignal);
    process.on(signal, onSignal);
  }

  const onBeforeExit = () => {
    if (!hooks.hasPending()) return;
    hooks.flush().catch((err: unknown) => diag.error(`flush before exit failed: ${String(err)}`));
  };
  listeners.set('beforeExit', onBeforeExit);
  process.on('beforeExit', onBeforeExit);

  // First among the exit listeners: CloudWatch Logs' own then counts the lines it never sent.
  const onExit = () => hooks.finishTurn();
  listeners.set('exit', onExit);
  process.prependListener('exit', onExit);

  function remove(): void {
    if (removed) return;
    removed = true;
    for (const [event, listener] of listeners) process.removeListener(event, listener);
  }
  return remove;
}
