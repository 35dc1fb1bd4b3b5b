import { processWide } from './processWide';

/**
 * What each live backend does at process `exit`, and the one process listener that runs it all:
 * process-wide, so the packages of an ESM application, which can load both of core's builds, still
 * share one listener (see `processWide`).
 */
interface ExitHooks {
  readonly fns: Set<() => void>;
  readonly run: () => void;
}

const hooks = processWide<ExitHooks>('sightline.core.processExit.v1', () => {
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
});

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
