export { SightlineConfigError } from '@sightline/core';
export type { ExpressErrorMiddleware, ExpressMiddleware } from './adapters/express';
export type { FastifyPlugin } from './adapters/fastify';
export type { HttpHandler } from './adapters/http';
export type { Observability } from './initObservability';
export { getObservability, initObservability } from './initObservability';
export type { AccessLogOptions, LoggerOptions, ObservabilityOptions } from './options';
export type { ResolvedConfig } from './resolveAll';
export { resolveConfig } from './resolveAll';
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
