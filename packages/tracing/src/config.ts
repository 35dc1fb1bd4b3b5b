/**
 * `@sightline/tracing/config`: configuration only. Resolving (and validating) the tracing settings
 * loads nothing of OpenTelemetry, so the facade can resolve every backend's configuration up front and
 * load the SDK only when tracing is on.
 */

export { describeSampler, describeTracing } from './describe';
export type {
  CompressionName,
  ExporterName,
  HoneycombOptions,
  IdGeneratorName,
  ResolvedTracingConfig,
  SamplerName,
  TracingBatchOptions,
  TracingOptions,
} from './options';
export { COMPRESSION_NAMES, EXPORTER_NAMES, ID_GENERATOR_NAMES, SAMPLER_NAMES } from './options';
export {
  appendTracesPath,
  DEFAULT_LOCAL_ENDPOINT,
  HONEYCOMB_ENDPOINT,
  isClassicHoneycombKey,
  resolveTracingConfig,
} from './resolveConfig';
