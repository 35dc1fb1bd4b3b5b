/** What each live backend does at process `exit`: one process listener for all of them. */
const atExit = new Set<() => void>();

function runAtExit(): void {
  for (const fn of atExit) {
    try {
      fn();
    } catch {
      // at exit there is no one left to tell: the next backend still gets its turn
    }
  }
}

/**
 * Runs `fn` when the process exits (synchronously, in its `exit` event), until the returned function
 * is called. One listener serves every backend, added with the first and removed with the last, so a
 * process creating many backends (tests) gets no listener-leak warning and a shut-down one keeps none.
 */
export function onProcessExit(fn: () => void): () => void {
  const entry = () => fn();
  if (atExit.size === 0) process.on('exit', runAtExit);
  atExit.add(entry);
  return () => {
    if (!atExit.delete(entry)) return;
    if (atExit.size === 0) process.off('exit', runAtExit);
  };
}
