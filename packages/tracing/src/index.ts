export { activeContext } from './contextManager';
export { describeSampler, describeTracing } from './describe';
export type { ExportFailure } from './exportFailures';
export { classifyExportError } from './exportFailures';
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
export { createPropagator, XRayRootPropagator } from './propagation';
export { redactAttributes, redactSpan, SpanRedactor } from './redactSpan';
export {
  appendTracesPath,
  DEFAULT_LOCAL_ENDPOINT,
  HONEYCOMB_ENDPOINT,
  isClassicHoneycombKey,
  resolveTracingConfig,
} from './resolveConfig';
export { createSampler, DeterministicSampler, traceIdFraction } from './samplers';
export type { RouteResolver } from './serverSpans';
export { addRouteResolver, afterServerSpan, extendServerContext, serverSpanAttachment } from './serverSpans';
export type { WithSpanOptions } from './spans';
export {
  activeRecordingSpan,
  contextWithSpan,
  getActiveTraceIds,
  recordSpanError,
  runInContext,
  setHttpRoute,
  startChildSpan,
  TRACER_NAME,
  withSpan,
} from './spans';
export type { StartTracingDeps, TracingBackend } from './startTracing';
export { startTracing } from './startTracing';
