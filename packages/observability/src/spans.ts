import type { Span } from '@opentelemetry/api';
import { isThenable, redactValue } from '@sightline/core';
import type { OpenSubsegment } from '@sightline/xray';
import { markSpanError, type Runtime } from './runtime';
import type { SpanHandle, SpanOptions } from './types';

type Scalar = string | number | boolean;
const DEFAULT_TRACER = '@sightline/observability';

/**
 * What `obs.span`'s callback gets. A class, so a span costs one object and no closures; `span` is set
 * once the OTel span exists. Every method swallows its own failure (warned once).
 */
class BothSpanHandle implements SpanHandle {
  span: Span | undefined = undefined;
  constructor(private readonly rt: Runtime) {}

  setAttribute(key: string, value: Scalar): void {
    try {
      this.span?.setAttribute(key, value);
    } catch (error) {
      this.failed('setAttribute', error);
    }
  }

  addAnnotation(key: string, value: Scalar): void {
    try {
      this.rt.xray?.addAnnotation(key, value);
      this.span?.setAttribute(key, value);
    } catch (error) {
      this.failed('addAnnotation', error);
    }
  }

  addMetadata(key: string, value: unknown, namespace = 'default'): void {
    try {
      this.rt.xray?.addMetadata(key, value, namespace);
      this.span?.setAttribute(
        `${namespace}.${key}`,
        JSON.stringify(redactValue(value, this.rt.redaction)) ?? 'null',
      );
    } catch (error) {
      this.failed('addMetadata', error);
    }
  }

  recordError(error: unknown): void {
    try {
      this.rt.xray?.addError(error);
      if (this.span) markSpanError(this.rt, this.span, error);
    } catch (e) {
      this.failed('recordError', e);
    }
  }

  private failed(what: string, error: unknown): void {
    this.rt.diag.warnOnce(`span-${what}`, `${what} failed: ${String(error)}`);
  }
}

const NO_OPTIONS: SpanOptions = {};

/**
 * One span in both systems: an OTel span (outer) and an X-Ray subsegment (inner), nested the same way,
 * ended together (the subsegment first), errors recorded in both and re-thrown unchanged. With one
 * backend on, only that one; with none, `fn` runs as it is. With both, they share one context, entered
 * once.
 */
export function runSpan<T>(
  rt: Runtime,
  name: string,
  fn: (span: SpanHandle) => T,
  options: SpanOptions = NO_OPTIONS,
): T {
  const xray = rt.xray;
  const handle = new BothSpanHandle(rt);
  const tracing = rt.tracing;
  if (!tracing?.backend.active) return xray ? inSubsegment(xray, name, fn, handle, options) : fn(handle);
  const t = tracing.module;
  // The subsegment first: it reads the X-Ray entity the caller runs under, and a missing one throws under
  // AWS_XRAY_CONTEXT_MISSING=RUNTIME_ERROR before any span was started.
  const sub = xray?.openSubsegment(name, options);
  const attributes: Record<string, Scalar> | undefined =
    options.attributes === undefined && options.annotations === undefined
      ? undefined
      : { ...options.attributes, ...options.annotations };
  const span = t.startChildSpan(name, {
    attributes,
    tracer: tracing.backend.tracer(options.tracer ?? DEFAULT_TRACER),
  });
  handle.span = span;
  let result: T;
  try {
    if (options.metadata) {
      for (const [k, v] of Object.entries(options.metadata)) {
        span.setAttribute(
          `${options.namespace ?? 'default'}.${k}`,
          JSON.stringify(redactValue(v, rt.redaction)) ?? 'null',
        );
      }
    }
    const ctx = t.contextWithSpan(span);
    result = t.runInContext(sub === undefined ? ctx : sub.inContext(ctx), fn, handle);
  } catch (error) {
    failBoth(rt, span, sub, error);
    throw error;
  }
  if (!isThenable(result)) {
    sub?.close();
    span.end();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      sub?.close();
      span.end();
      return value;
    },
    (error: unknown) => {
      failBoth(rt, span, sub, error);
      throw error;
    },
  ) as T;
}

function failBoth(rt: Runtime, span: Span, sub: OpenSubsegment | undefined, error: unknown): void {
  sub?.fail(error);
  markSpanError(rt, span, error);
  span.end();
}

/** The X-Ray subsegment inside the span (SpanOptions carries the annotations, metadata and namespace). */
function inSubsegment<T>(
  xray: NonNullable<Runtime['xray']>,
  name: string,
  fn: (span: SpanHandle) => T,
  handle: SpanHandle,
  options: SpanOptions,
): T {
  return xray.subsegment(name, () => fn(handle), options);
}

/** An X-Ray-only subsegment (Cruddur's `mock-data`); the function still runs when X-Ray is off. */
export function runSubsegment<T>(
  rt: Runtime,
  name: string,
  fn: (segment: SpanHandle) => T,
  options: SpanOptions = NO_OPTIONS,
): T {
  const handle = new BothSpanHandle(rt);
  if (!rt.xray) return fn(handle);
  return inSubsegment(rt.xray, name, fn, handle, options);
}
