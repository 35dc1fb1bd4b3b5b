import { createDiagnostics, type Env } from '@sightline/core';
import type { Local } from '@sightline/local';
import {
  resolveTracingConfig,
  type StartTracingDeps,
  startTracing,
  type TracingBackend,
  type TracingOptions,
} from '../src/index';

/** Backends started by a test; `stopAll()` in afterEach shuts them (and unregisters the globals). */
const started: TracingBackend[] = [];

/** Resolves from `local.env` plus `env`, and starts tracing with a short schedule delay. */
export function startAgainst(
  local: Local,
  env: Env = {},
  options: TracingOptions = {},
  deps: StartTracingDeps = {},
): TracingBackend {
  const { config, problems } = resolveTracingConfig(
    options,
    { ...local.env, OTEL_SERVICE_NAME: 'tracing-test', OTEL_BSP_SCHEDULE_DELAY: '20', ...env },
    {},
  );
  if (problems.length > 0) throw new Error(`bad test options: ${JSON.stringify(problems)}`);
  // Quiet unless a test passes its own diagnostics to assert on the warnings.
  const backend = startTracing(config, {
    diagnostics: createDiagnostics('tracing', { level: 'none' }),
    ...deps,
  });
  started.push(backend);
  return backend;
}

export async function stopAll(): Promise<void> {
  while (started.length > 0) await started.pop()?.shutdown(2000);
}
