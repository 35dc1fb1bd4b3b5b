// The `@sightline/tracing/config` entry: the resolver alone, without the OpenTelemetry SDK, so a
// facade can decide whether tracing is on before loading it.
export type { ResolvedTracingConfig, TracingOptions } from './options';
export { resolveTracingConfig } from './resolveConfig';
