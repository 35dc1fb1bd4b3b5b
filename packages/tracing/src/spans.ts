import {
  type Attributes,
  type Context,
  type Span,
  type SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { isThenable, isValidSpanId, otelToXRayTraceId } from '@sightline/core';
import { activeContext, applyInContext } from './contextManager';

export const TRACER_NAME = '@sightline/tracing';

/** Options of `withSpan`. */
export interface WithSpanOptions {
  /** Attributes set when the span starts. Default: none. */
  attributes?: Attributes;
  /** Span kind. Default: `SpanKind.INTERNAL`. */
  kind?: SpanKind;
  /** Tracer to use. Default: the global tracer named `@sightline/tracing`. */
  tracer?: Tracer;
}

/** The exception event and status ERROR (with the message) on `span`, for any thrown value. Never throws. */
export function recordSpanError(span: Span, error: unknown): void {
  try {
    if (error instanceof Error) span.recordException(error);
    else span.recordException(String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  } catch {
    // recording must never replace the application's error
  }
}

/** The span options `withSpan` and `startChildSpan` pass to the tracer: undefined when neither is set. */
function spanOptionsOf(options: WithSpanOptions): SpanOptions | undefined {
  return options.attributes === undefined && options.kind === undefined
    ? undefined
    : { attributes: options.attributes, kind: options.kind };
}

/**
 * Runs `fn` inside a new span that is the active span for `fn`'s whole duration (sync or async).
 * On a throw or rejection the exception is recorded, the status set to ERROR, and the same error is
 * re-thrown. Works (as a no-op span) when tracing is not started.
 */
export function withSpan<T>(name: string, fn: (span: Span) => T, options: WithSpanOptions = {}): T {
  const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
  const spanOptions = spanOptionsOf(options);
  const run = (span: Span): T => {
    let result: T;
    try {
      result = fn(span);
    } catch (error) {
      recordSpanError(span, error);
      span.end();
      throw error;
    }
    if (!isThenable(result)) {
      span.end();
      return result;
    }
    return (result as PromiseLike<unknown>).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        recordSpanError(span, error);
        span.end();
        throw error;
      },
    ) as T;
  };
  return spanOptions === undefined
    ? tracer.startActiveSpan(name, run)
    : tracer.startActiveSpan(name, spanOptions, run);
}

/**
 * `withSpan` in parts, for a caller that runs the work itself with more in the same context (the
 * facade adds the X-Ray subsegment to it): a span started under the active context…
 */
export function startChildSpan(name: string, options: WithSpanOptions = {}): Span {
  const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
  const spanOptions = spanOptionsOf(options);
  return tracer.startSpan(name, spanOptions, activeContext());
}

/** …the context in which it is the active span… */
export function contextWithSpan(span: Span): Context {
  return trace.setSpan(activeContext(), span);
}

/** …and `fn(arg)` run in that context (or any other). */
export function runInContext<A, T>(ctx: Context, fn: (arg: A) => T, arg: A): T {
  return applyInContext(ctx, fn, undefined, [arg]);
}

let lastTraceId = '';
let lastXRayTraceId: string | undefined;

/** The active span's ids, in OTel form and X-Ray form, or `undefined` when no valid span is active. */
export function getActiveTraceIds(): { traceId: string; spanId: string; xrayTraceId: string } | undefined {
  const spanContext = trace.getSpanContext(activeContext());
  if (spanContext === undefined) return undefined;
  const { traceId, spanId } = spanContext;
  // Called for every log line of a request: the conversion, which also validates the trace id, is done
  // once per trace id. The checks are core's character loops: the API's isSpanContextValid runs two
  // regular expressions on span contexts of every shape (a megamorphic site in the profile).
  if (traceId !== lastTraceId) {
    lastTraceId = traceId;
    lastXRayTraceId = otelToXRayTraceId(traceId);
  }
  const xrayTraceId = lastXRayTraceId;
  if (xrayTraceId === undefined || !(isValidSpanId(spanId) || isValidSpanId(spanId.toLowerCase()))) {
    return undefined;
  }
  return { traceId, spanId, xrayTraceId };
}

/**
 * Names the current request's server span after its route: sets `http.route` and renames the span
 * `METHOD route` (e.g. `GET /api/activities/:handle`). Framework adapters call it once the router has
 * matched. Returns whether an http server span was found. Never throws.
 */
export function setHttpRoute(route: string): boolean {
  try {
    const metadata = getRPCMetadata(activeContext());
    if (metadata?.type !== RPCType.HTTP) return false;
    // The server span (ours, or instrumentation-http's where someone else runs it) keeps the route in
    // this metadata; setting the attribute and the name now also covers spans read before the end.
    metadata.route = route;
    const span = metadata.span;
    span.setAttribute('http.route', route);
    const attributes = (span as Partial<{ attributes: Attributes }>).attributes;
    const method = attributes?.['http.request.method'] ?? attributes?.['http.method'];
    if (typeof method === 'string') span.updateName(`${method} ${route}`);
    return true;
  } catch {
    return false;
  }
}

/** The active span when it is recording (a sampled span of a started provider), else undefined. */
export function activeRecordingSpan(): Span | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span : undefined;
}
