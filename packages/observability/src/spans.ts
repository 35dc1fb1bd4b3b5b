import type { Span } from '@opentelemetry/api';
import { redactValue } from '@sightline/core';
import { markSpanError, type Runtime } from './runtime';
import type { SpanHandle, SpanOptions } from './types';

type Scalar = string | number | boolean;
const DEFAULT_TRACER = '@sightline/observability';

function handleFor(rt: Runtime, getSpan: () => Span | undefined, xrayOn: boolean): SpanHandle {
  const guard = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      rt.diag.warnOnce(`span-${what}`, `${what} failed: ${String(error)}`);
    }
  };
  return {
    setAttribute: (key, value) => guard('setAttribute', () => getSpan()?.setAttribute(key, value)),
    addAnnotation: (key, value) =>
      guard('addAnnotation', () => {
        if (xrayOn) rt.xray?.addAnnotation(key, value);
        getSpan()?.setAttribute(key, value);
      }),
    addMetadata: (key, value, namespace = 'default') =>
      guard('addMetadata', () => {
        if (xrayOn) rt.xray?.addMetadata(key, value, namespace);
        const span = getSpan();
        if (span)
          span.setAttribute(
            `${namespace}.${key}`,
            JSON.stringify(redactValue(value, rt.redaction)) ?? 'null',
          );
      }),
    recordError: (error) =>
      guard('recordError', () => {
        if (xrayOn) rt.xray?.addError(error);
        const span = getSpan();
        if (span) markSpanError(span, error);
      }),
  };
}

/**
 * One span in both systems: an OTel span (outer) and an X-Ray subsegment (inner), nested the same way,
 * ended together, errors recorded in both and re-thrown unchanged. With one backend on, only that one;
 * with none, `fn` runs as it is.
 */
export function runSpan<T>(
  rt: Runtime,
  name: string,
  fn: (span: SpanHandle) => T,
  options: SpanOptions = {},
): T {
  let otelSpan: Span | undefined;
  const xrayOn = rt.xray !== undefined;
  const handle = handleFor(rt, () => otelSpan, xrayOn);
  const inner = (): T => {
    if (!rt.xray) return fn(handle);
    return rt.xray.subsegment(name, () => fn(handle), {
      annotations: options.annotations,
      metadata: options.metadata,
      namespace: options.namespace,
    });
  };
  const tracing = rt.tracing;
  if (!tracing?.backend.active) return inner();
  const attributes: Record<string, Scalar> | undefined =
    options.attributes === undefined && options.annotations === undefined
      ? undefined
      : { ...options.attributes, ...options.annotations };
  return tracing.module.withSpan(
    name,
    (span) => {
      otelSpan = span;
      if (options.metadata) {
        for (const [k, v] of Object.entries(options.metadata)) {
          span.setAttribute(
            `${options.namespace ?? 'default'}.${k}`,
            JSON.stringify(redactValue(v, rt.redaction)) ?? 'null',
          );
        }
      }
      return inner();
    },
    { attributes, tracer: tracing.backend.tracer(options.tracer ?? DEFAULT_TRACER) },
  );
}

/** An X-Ray-only subsegment (Cruddur's `mock-data`); the function still runs when X-Ray is off. */
export function runSubsegment<T>(
  rt: Runtime,
  name: string,
  fn: (segment: SpanHandle) => T,
  options: SpanOptions = {},
): T {
  const handle = handleFor(rt, () => undefined, true);
  if (!rt.xray) return fn(handle);
  return rt.xray.subsegment(name, () => fn(handle), {
    annotations: options.annotations,
    metadata: options.metadata,
    namespace: options.namespace,
  });
}
