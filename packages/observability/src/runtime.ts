import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import {
  type Diagnostics,
  formatXRayTraceHeader,
  isValidSpanId,
  parseXRayTraceHeader,
  type RedactionPolicy,
  redactValue,
  xrayToOtelTraceId,
} from '@sightline/core';
import type { CloudWatchLogsBackend, Logger as CwLogger } from '@sightline/cwlogs';
import type { ErrorsBackend } from '@sightline/errors';
import type { TracingBackend } from '@sightline/tracing';
import type { RequestSegment, XRayBackend } from '@sightline/xray';
import type { TraceIds } from './types';

type TracingModule = typeof import('@sightline/tracing');

/** The backends that are on, and what the request adapters and span helpers need from them. */
export interface Runtime {
  readonly tracing?: { backend: TracingBackend; module: TracingModule };
  readonly xray?: XRayBackend;
  readonly cwlogs?: CloudWatchLogsBackend;
  readonly errors?: ErrorsBackend;
  readonly redaction: RedactionPolicy;
  readonly diag: Diagnostics;
  logger: CwLogger;
}

/**
 * Ids of the current request: from the active OpenTelemetry span when tracing is on, else from the
 * current X-Ray segment. Both forms name the same 128 bits.
 */
export function currentTraceIds(rt: Runtime): TraceIds | undefined {
  const forced = forcedIds;
  if (forced) return forced;
  if (rt.tracing?.backend.active) {
    const ids = rt.tracing.module.getActiveTraceIds();
    if (ids) return ids;
  }
  const x = rt.xray?.currentTraceIds();
  if (x) {
    const traceId = xrayToOtelTraceId(x.xrayTraceId);
    if (traceId) return { traceId, xrayTraceId: x.xrayTraceId, spanId: x.entityId };
  }
  return undefined;
}

// Set synchronously around log calls made outside the request's async context (the access log is
// written from the response's 'close' event), so those lines still carry the request's ids.
let forcedIds: TraceIds | undefined;

/** Sets the forced ids and returns the previous ones (`withIds` without a closure, for the hot path). */
export function setForcedIds(ids: TraceIds | undefined): TraceIds | undefined {
  const previous = forcedIds;
  forcedIds = ids;
  return previous;
}

export function withIds<T>(ids: TraceIds | undefined, fn: () => T): T {
  const previous = forcedIds;
  forcedIds = ids;
  try {
    return fn();
  } finally {
    forcedIds = previous;
  }
}

/** The log fields every line written inside a request carries; none outside. */
export function logContextFields(rt: Runtime): Record<string, unknown> | undefined {
  const ids = currentTraceIds(rt);
  if (!ids) return undefined;
  const fields: Record<string, unknown> = { trace_id: ids.traceId, xray_trace_id: ids.xrayTraceId };
  if (ids.spanId) fields.span_id = ids.spanId;
  return fields;
}

// The OpenTelemetry API is reached through the tracing module, loaded only when tracing is on: the
// facade itself imports no OpenTelemetry code (its ESM build would load a second copy of the API).

/** The active OTel span, when tracing records one. */
export function activeSpan(rt: Runtime): Span | undefined {
  return rt.tracing?.backend.active ? rt.tracing.module.activeRecordingSpan() : undefined;
}

/** The exception event and status ERROR on an OTel span, for any thrown value. */
export function markSpanError(rt: Runtime, span: Span, error: unknown): void {
  rt.tracing?.module.recordSpanError(span, error);
}

/** Marks the active span and the current X-Ray entity with an error, without throwing. */
export function markError(rt: Runtime, error: unknown, segment?: RequestSegment): void {
  try {
    const span = activeSpan(rt);
    if (span) markSpanError(rt, span, error);
    segment?.addError(error);
  } catch (e) {
    rt.diag.warnOnce('mark-error', `could not mark an error on the span or segment: ${String(e)}`);
  }
}

/** The caller's parent id from `X-Amzn-Trace-Id` or `traceparent`, so the segment links to its caller. */
export function incomingParentId(req: IncomingMessage): string | undefined {
  const amzn = parseXRayTraceHeader(req.headers['x-amzn-trace-id']);
  if (amzn?.parent) return amzn.parent;
  const tp = req.headers.traceparent;
  const parent = typeof tp === 'string' ? tp.split('-')[2] : undefined;
  return parent && isValidSpanId(parent) ? parent : undefined;
}

/** Sets the response's `X-Amzn-Trace-Id` like the X-Ray SDK's middleware does. */
export function setTraceHeader(
  res: ServerResponse,
  segment: RequestSegment | undefined,
  ids: TraceIds | undefined,
) {
  if (res.headersSent) return;
  try {
    if (segment) res.setHeader('x-amzn-trace-id', segment.traceHeader);
    else if (ids) res.setHeader('x-amzn-trace-id', formatXRayTraceHeader({ root: ids.xrayTraceId }));
  } catch {
    // a header that cannot be set must not break the response
  }
}

export function redacted<T>(rt: Runtime, value: T): unknown {
  return redactValue(value, rt.redaction);
}
