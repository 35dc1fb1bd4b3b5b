/**
 * `node --import @sightline/tracing/register app.mjs` (ESM) or `node --require @sightline/tracing/register app.js`
 * (CJS): starts tracing from the environment alone, before the application loads its modules, so the
 * http/https and fetch instrumentations see every request. Flushes on exit; see docs/tracing.md.
 */
import {
  configureDiagnostics,
  DIAGNOSTICS_LEVELS,
  type DiagnosticsLevel,
  diagnostics,
} from '@sightline/core';
import { resolveTracingConfig } from './resolveConfig';
import { startTracing, type TracingBackend } from './startTracing';

const SHUTDOWN_TIMEOUT_MS = 5000;

function start(): TracingBackend | undefined {
  const level = process.env.SIGHTLINE_LOG_LEVEL?.trim().toLowerCase();
  if (level !== undefined && (DIAGNOSTICS_LEVELS as string[]).includes(level)) {
    configureDiagnostics({ level: level as DiagnosticsLevel });
  }
  const diag = diagnostics('tracing');
  const { config, warnings } = resolveTracingConfig(undefined, process.env);
  for (const w of warnings) diag.warnOnce(`env:${w.variable}`, w.message);
  const backend = startTracing(config);
  diag.info(backend.describe());
  return backend.active ? backend : undefined;
}

/** Flush on the way out: beforeExit always; SIGTERM/SIGINT flush then exit as Node would have, unless the app handles the signal itself. */
function flushOnExit(backend: TracingBackend): void {
  process.once('beforeExit', () => {
    void backend.shutdown(SHUTDOWN_TIMEOUT_MS);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const onSignal = () => {
      const appHandlesIt = process.listenerCount(signal) > 0;
      void backend.shutdown(SHUTDOWN_TIMEOUT_MS).then(() => {
        // Re-raise so the default action (exit with 128+n) happens, as without us.
        if (!appHandlesIt) process.kill(process.pid, signal);
      });
    };
    process.once(signal, onSignal);
  }
}

if (process.env.SIGHTLINE_DISABLED?.trim().toLowerCase() !== 'true') {
  const backend = start();
  if (backend !== undefined) flushOnExit(backend);
}
