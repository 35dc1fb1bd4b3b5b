import type { BackendReport } from '@sightline/core';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** `obs.logger`: printf-style message (`'%s %s'`), a trailing plain object is structured fields. */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  /** A logger whose every line carries `bindings`. */
  child(bindings: Record<string, unknown>): Logger;
}

/** What `obs.span` hands to its function: one object that writes to the OTel span and the X-Ray subsegment. */
export interface SpanHandle {
  /** OTel span attribute (redacted like every sink). */
  setAttribute(key: string, value: string | number | boolean): void;
  /** X-Ray annotation (indexed: string, number or boolean). Also set as an OTel attribute. */
  addAnnotation(key: string, value: string | number | boolean): void;
  /** X-Ray metadata under `namespace` (default `default`). Also set as an OTel attribute (JSON). */
  addMetadata(key: string, value: unknown, namespace?: string): void;
  /** Record an error on both without throwing. */
  recordError(error: unknown): void;
}

export interface SpanOptions {
  attributes?: Record<string, string | number | boolean>;
  annotations?: Record<string, string | number | boolean>;
  metadata?: Record<string, unknown>;
  /** Namespace of `metadata` on the X-Ray subsegment. Default `default`. */
  namespace?: string;
  /** Name of the OTel tracer (instrumentation scope). Default `@sightline/observability`. */
  tracer?: string;
}

export interface TraceIds {
  /** 32 hex, Honeycomb / OTel form. */
  traceId: string;
  /** `1-xxxxxxxx-yyyy…`, X-Ray form of the same 128 bits. */
  xrayTraceId: string;
  /** Current span / segment id. */
  spanId?: string;
}

export interface BackendOutcome extends BackendReport {
  /** `ok`: finished in time; `timeout`: the deadline cut it off; `off`: not enabled. */
  status: 'ok' | 'timeout' | 'off';
}

/** One report for the four backends. */
export interface ShutdownReport {
  durationMs: number;
  backends: Record<'tracing' | 'xray' | 'cwlogs' | 'errors', BackendOutcome>;
}

export type StatsReport = Record<
  'tracing' | 'xray' | 'cwlogs' | 'errors',
  BackendReport & { enabled: boolean }
>;

export type ErrorLevel = 'critical' | 'error' | 'warning' | 'info' | 'debug';

export interface ErrorsApi {
  /** Reports an error (any thrown value) to Rollbar; returns the occurrence uuid when the backend is on. */
  report(
    error: unknown,
    context?: {
      request?: unknown;
      user?: Record<string, unknown>;
      extra?: Record<string, unknown>;
      level?: ErrorLevel;
    },
  ): string | undefined;
  /** Sends a message item; returns the occurrence uuid when the backend is on. */
  message(text: string, level?: ErrorLevel, extra?: Record<string, unknown>): string | undefined;
}
