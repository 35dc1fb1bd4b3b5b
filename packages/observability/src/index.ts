export { SightlineConfigError } from '@sightline/core';
export type { Observability } from './initObservability';
export { initObservability } from './initObservability';
export type { AccessLogOptions, LoggerOptions, ObservabilityOptions } from './options';
export type { ResolvedCommonConfig } from './resolveConfig';
export { resolveCommonConfig } from './resolveConfig';
export type {
  BackendOutcome,
  ErrorLevel,
  ErrorsApi,
  Logger,
  LogLevel,
  ShutdownReport,
  SpanHandle,
  SpanOptions,
  StatsReport,
  TraceIds,
} from './types';
