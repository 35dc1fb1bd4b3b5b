import { createRequire } from 'node:module';
import type { CloudWatchLogsBackend, ResolvedCloudWatchLogsConfig } from '@sightline/cwlogs';
import type { ErrorsBackend, ErrorsHooks, ResolvedErrorsConfig } from '@sightline/errors';
import type { ResolvedTracingConfig, TracingBackend } from '@sightline/tracing';
import type { ResolvedXRayConfig, XRayBackend } from '@sightline/xray';

// Backends are loaded only when they are on, so a service without CloudWatch Logs never loads the
// AWS SDK, one without tracing never loads the OpenTelemetry SDK, and so on. `require` keeps
// `initObservability` synchronous, which tracing needs: it must patch node:http before the app loads it.
const load = createRequire(import.meta.url);

type TracingModule = typeof import('@sightline/tracing');
type XRayModule = typeof import('@sightline/xray');
type CwlogsModule = typeof import('@sightline/cwlogs');
type ErrorsModule = typeof import('@sightline/errors');

export function startTracingBackend(config: ResolvedTracingConfig): {
  backend: TracingBackend;
  module: TracingModule;
} {
  const module = load('@sightline/tracing') as TracingModule;
  const backend = module.startTracing(config);
  // The http instrumentation patches node:http when it is next required. A module loaded earlier
  // (by an ESM import, or by the app before us) shares the same exports object, so requiring it
  // once now patches the servers and clients the app creates from it.
  load('node:http');
  load('node:https');
  return { backend, module };
}

export function startXRayBackend(config: ResolvedXRayConfig): XRayBackend {
  return (load('@sightline/xray') as XRayModule).createXRay(config);
}

export function startCwlogsBackend(config: ResolvedCloudWatchLogsConfig): CloudWatchLogsBackend {
  return (load('@sightline/cwlogs') as CwlogsModule).createCloudWatchLogs(config);
}

export function loadCwlogsModule(): CwlogsModule {
  return load('@sightline/cwlogs') as CwlogsModule;
}

export function startErrorsBackend(config: ResolvedErrorsConfig, hooks: ErrorsHooks): ErrorsBackend {
  return (load('@sightline/errors') as ErrorsModule).createErrorReporter(config, hooks);
}
