import { createRequire } from 'node:module';
import { isValidOtelTraceId, isValidSpanId, otelToXRayTraceId } from '@sightline/core';
import type { Correlation, ResolvedLinks } from './types';

/** The few parts of `@opentelemetry/api` used here, so the package builds and runs without it. */
export interface SpanLike {
  spanContext(): { traceId: string; spanId: string };
  setAttribute(key: string, value: string): unknown;
  isRecording(): boolean;
}
interface OtelApiLike {
  trace: { getActiveSpan(): SpanLike | undefined };
}

let otelApi: OtelApiLike | null | undefined;

/**
 * `@opentelemetry/api` is an optional peer: loaded lazily and only once, `null` when not installed.
 * Any copy of the API shares the global tracer provider and context manager, so this sees the
 * application's active span even if the application loaded the ESM build.
 */
export function loadOtelApi(): OtelApiLike | null {
  if (otelApi !== undefined) return otelApi;
  try {
    const mod = createRequire(import.meta.url)('@opentelemetry/api') as Partial<OtelApiLike>;
    otelApi = typeof mod.trace?.getActiveSpan === 'function' ? (mod as OtelApiLike) : null;
  } catch {
    otelApi = null;
  }
  return otelApi;
}

/** The active OpenTelemetry span, when the API is installed and a valid span is active. */
export function activeOtelSpan(): SpanLike | undefined {
  try {
    const span = loadOtelApi()?.trace.getActiveSpan();
    if (!span) return undefined;
    const { traceId, spanId } = span.spanContext();
    return isValidOtelTraceId(traceId) && isValidSpanId(spanId) ? span : undefined;
  } catch {
    return undefined;
  }
}

/** The ids of a span: OTel trace id, span id and the same trace id in X-Ray form. */
export function correlationOfSpan(span: SpanLike | undefined): Correlation | undefined {
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, xray_trace_id: otelToXRayTraceId(traceId) };
}

/** Keeps only well-formed ids from a user hook, so a bad hook cannot put junk into items. */
export function cleanCorrelation(value: unknown): Correlation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const out: Correlation = {};
  const str = (x: unknown) => (typeof x === 'string' && x.length > 0 && x.length <= 64 ? x : undefined);
  const traceId = str(v.trace_id);
  const spanId = str(v.span_id);
  const xrayId = str(v.xray_trace_id) ?? (traceId ? otelToXRayTraceId(traceId) : undefined);
  if (traceId) out.trace_id = traceId;
  if (spanId) out.span_id = spanId;
  if (xrayId) out.xray_trace_id = xrayId;
  return Object.keys(out).length > 0 ? out : undefined;
}

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** Fills a link template; `undefined` when a placeholder has no value (a half-built link would mislead). */
export function fillTemplate(template: string, values: Readonly<Record<string, string | undefined>>) {
  let missing = false;
  const out = template.replace(PLACEHOLDER, (_m, name: string) => {
    const v = values[name];
    if (v === undefined || v === '') {
      missing = true;
      return '';
    }
    return encodeURIComponent(v);
  });
  return missing ? undefined : out;
}

/** The trace links of one item (`honeycomb_trace_url`, `xray_trace_url`), those the config can build. */
export function buildLinks(
  links: ResolvedLinks,
  environment: string,
  correlation: Correlation | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!correlation) return out;
  const values = {
    trace_id: correlation.trace_id,
    xray_trace_id: correlation.xray_trace_id,
    span_id: correlation.span_id,
    region: links.region,
    team: links.team,
    dataset: links.dataset,
    environment,
  };
  const honeycomb = links.honeycombTrace ? fillTemplate(links.honeycombTrace, values) : undefined;
  const xray = links.xrayTrace ? fillTemplate(links.xrayTrace, values) : undefined;
  if (honeycomb) out.honeycomb_trace_url = honeycomb;
  if (xray) out.xray_trace_url = xray;
  return out;
}
