import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createDiagnostics } from '@sightline/core';
import {
  resolveTracingConfig,
  type StartTracingDeps,
  startTracing,
  type TracingBackend,
  type TracingOptions,
} from '../src/index';

/** Tracing into an in-memory exporter (still through the counting, redacting wrapper), no network. */
export function startInMemory(
  options: TracingOptions = {},
  deps: StartTracingDeps = {},
): { backend: TracingBackend; memory: InMemorySpanExporter } {
  const memory = new InMemorySpanExporter();
  const { config } = resolveTracingConfig({ enabled: true, batch: { scheduledDelayMs: 0 }, ...options }, {});
  const backend = startTracing(config, {
    exporter: memory,
    diagnostics: createDiagnostics('tracing', { level: 'none' }),
    ...deps,
  });
  return { backend, memory };
}
