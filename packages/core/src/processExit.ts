/**
 * What each live backend does at process `exit`, and the one process listener that runs it all. Kept on
 * `globalThis`: the packages of an ESM application can load both of core's builds (see diagnostics), and
 * they still share one listener.
 */
interface ExitHooks {
  readonly fns: Set<() => void>;
  readonly run: () => void;
}

// Versioned like the diagnostics holder: a different shape takes a new key.
const EXIT_KEY = Symbol.for('sightline.core.processExit.v1');

function newExitHooks(): ExitHooks {
  const fns = new Set<() => void>();
  const run = () => {
    for (const fn of fns) {
      try {
        fn();
      } catch {
        // at exit there is no one left to tell: the next backend still gets its turn
      }
    }
  };
  return { fns, run };
}

const hooks: ExitHooks =
  ((globalThis as Record<symbol, unknown>)[EXIT_KEY] as ExitHooks | undefined) ?? newExitHooks();
(globalThis as Record<symbol, unknown>)[EXIT_KEY] = hooks;

/**
 * Runs `fn` when the process exits (synchronously, in its `exit` event), until the returned function
 * is called. One listener serves every backend, added with the first and removed with the last, so a
 * process creating many backends (tests) gets no listener-leak warning and a shut-down one keeps none.
 */
export function onProcessExit(fn: () => void): () => void {
  const entry = () => fn();
  if (hooks.fns.size === 0) process.on('exit', hooks.run);
  hooks.fns.add(entry);
  return () => {
    if (!hooks.fns.delete(entry)) return;
    if (hooks.fns.size === 0) process.off('exit', hooks.run);
  };
}
