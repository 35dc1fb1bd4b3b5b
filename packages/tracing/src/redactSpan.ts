import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { isSensitiveField, type RedactionPolicy, redactString, redactUrl } from '@sightline/core';

// Attributes that hold a URL (stable and legacy HTTP semantic conventions): their query strings can
// carry tokens, so they go through redactUrl (masks sensitive parameters by name).
const URL_KEYS = new Set(['url.full', 'http.url', 'http.target']);
const QUERY_KEYS = new Set(['url.query']);

function redactAttributeValue(key: string, value: AttributeValue, policy: RedactionPolicy): AttributeValue {
  if (typeof value === 'string') {
    if (URL_KEYS.has(key)) return redactUrl(value, policy);
    if (QUERY_KEYS.has(key)) return redactUrl(`?${value}`, policy).slice(1);
    return redactString(value, policy);
  }
  if (Array.isArray(value)) {
    return value.map((v) => (typeof v === 'string' ? redactString(v, policy) : v)) as AttributeValue;
  }
  return value;
}

/** A copy of the attributes with sensitive keys masked, URLs cleaned and strings pattern-scrubbed. */
export function redactAttributes(attributes: Attributes, policy: RedactionPolicy): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    // SampleRate and similar numeric bookkeeping never match a field name; strings and arrays are masked whole.
    out[key] =
      isSensitiveField(key, policy) && typeof value !== 'number' && typeof value !== 'boolean'
        ? policy.replacement
        : redactAttributeValue(key, value, policy);
  }
  return out;
}

function redactEvent(event: TimedEvent, policy: RedactionPolicy): TimedEvent {
  if (!event.attributes) return event;
  return { ...event, attributes: redactAttributes(event.attributes, policy) };
}

/**
 * A redacted copy of a finished span for the exporter. The span itself is not changed: other
 * processors (and the application, through `getActiveSpan`) keep seeing the original.
 */
export function redactSpan(span: ReadableSpan, policy: RedactionPolicy): ReadableSpan {
  return {
    name: redactString(span.name, policy),
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status:
      span.status.message === undefined
        ? span.status
        : { ...span.status, message: redactString(span.status.message, policy) },
    attributes: redactAttributes(span.attributes, policy),
    links: span.links,
    events: span.events.map((e) => redactEvent(e, policy)),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
