import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { isSensitiveField, type RedactionPolicy, redactString, redactUrl } from '@sightline/core';

// Attributes that hold a URL (stable and legacy HTTP semantic conventions): their query strings can
// carry tokens, so they go through redactUrl (masks sensitive parameters by name).
const URL_KEYS = new Set(['url.full', 'http.url', 'http.target']);
const QUERY_KEYS = new Set(['url.query']);

type KeyKind = 'mask' | 'url' | 'query' | 'text';

// Span attribute keys and most values repeat endlessly (method, host, route, status), while the
// policy's patterns are costly to run (several regexes, one with a lookbehind). Results are cached per
// redactor; the caches are bounded and simply start over when full.
const MAX_CACHED = 4096;
const MAX_CACHED_VALUE_LENGTH = 256;

/** Redacts spans with one policy, remembering the result for keys and short values already seen. */
export class SpanRedactor {
  private readonly keyKinds = new Map<string, KeyKind>();
  // One map per kind, keyed by the value itself: no key string is built per lookup.
  private readonly values: Record<Exclude<KeyKind, 'mask'>, Map<string, string>> = {
    url: new Map(),
    query: new Map(),
    text: new Map(),
  };

  constructor(readonly policy: RedactionPolicy) {}

  private kindOf(key: string): KeyKind {
    let kind = this.keyKinds.get(key);
    if (kind === undefined) {
      kind = isSensitiveField(key, this.policy)
        ? 'mask'
        : URL_KEYS.has(key)
          ? 'url'
          : QUERY_KEYS.has(key)
            ? 'query'
            : 'text';
      if (this.keyKinds.size >= MAX_CACHED) this.keyKinds.clear();
      this.keyKinds.set(key, kind);
    }
    return kind;
  }

  private clean(kind: Exclude<KeyKind, 'mask'>, value: string): string {
    const cacheable = value.length <= MAX_CACHED_VALUE_LENGTH;
    const cache = this.values[kind];
    if (cacheable) {
      const hit = cache.get(value);
      if (hit !== undefined) return hit;
    }
    const out =
      kind === 'url'
        ? redactUrl(value, this.policy)
        : kind === 'query'
          ? redactUrl(`?${value}`, this.policy).slice(1)
          : redactString(value, this.policy);
    if (cacheable) {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(value, out);
    }
    return out;
  }

  private value(key: string, value: AttributeValue): AttributeValue {
    const kind = this.kindOf(key);
    // Numbers and booleans are never secrets (and SampleRate must survive); strings and arrays are masked whole.
    if (typeof value === 'number' || typeof value === 'boolean') return value;
    if (kind === 'mask') return this.policy.replacement;
    if (typeof value === 'string') return this.clean(kind, value);
    if (Array.isArray(value)) {
      return value.map((v) => (typeof v === 'string' ? this.clean('text', v) : v)) as AttributeValue;
    }
    return value;
  }

  /** A copy of the attributes with sensitive keys masked, URLs cleaned and strings pattern-scrubbed. */
  attributes(attributes: Attributes): Attributes {
    return this.changedAttributes(attributes) ?? definedOnly(attributes);
  }

  /** Like `attributes`, but `undefined` when redaction changes nothing (then no copy is made). */
  private changedAttributes(attributes: Attributes): Attributes | undefined {
    let out: Attributes | undefined;
    for (const key in attributes) {
      const value = attributes[key];
      if (value === undefined) continue;
      const clean = this.value(key, value);
      if (out === undefined) {
        if (sameValue(clean, value)) continue;
        // The first change: copy what came before it, then go on writing into the copy.
        out = {};
        for (const earlier in attributes) {
          if (earlier === key) break;
          const v = attributes[earlier];
          if (v !== undefined) out[earlier] = v;
        }
      }
      out[key] = clean;
    }
    return out;
  }

  private event(event: TimedEvent): TimedEvent {
    if (!event.attributes) return event;
    return { ...event, attributes: this.attributes(event.attributes) };
  }

  /**
   * A redacted copy of a finished span for the exporter, or the span itself when redaction changes
   * nothing in it (most spans: a copy per span was most of redaction's cost). The span itself is never
   * changed: other processors (and the application, through `getActiveSpan`) keep seeing the original.
   */
  span(span: ReadableSpan): ReadableSpan {
    const name = this.clean('text', span.name);
    const attributes = this.changedAttributes(span.attributes);
    const status =
      span.status.message === undefined
        ? span.status
        : { ...span.status, message: redactString(span.status.message, this.policy) };
    const events = span.events.length === 0 ? span.events : span.events.map((e) => this.event(e));
    if (name === span.name && attributes === undefined && status === span.status && events.length === 0) {
      return span;
    }
    return {
      name,
      kind: span.kind,
      spanContext: () => span.spanContext(),
      parentSpanContext: span.parentSpanContext,
      startTime: span.startTime,
      endTime: span.endTime,
      status,
      attributes: attributes ?? span.attributes,
      links: span.links,
      events,
      duration: span.duration,
      ended: span.ended,
      resource: span.resource,
      instrumentationScope: span.instrumentationScope,
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    };
  }
}

function definedOnly(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const key in attributes) if (attributes[key] !== undefined) out[key] = attributes[key];
  return out;
}

/** Whether redaction left a value as it was (arrays: every element). */
function sameValue(clean: AttributeValue, value: AttributeValue): boolean {
  if (clean === value) return true;
  if (!Array.isArray(clean) || !Array.isArray(value) || clean.length !== value.length) return false;
  for (let i = 0; i < clean.length; i++) if (clean[i] !== value[i]) return false;
  return true;
}

/** One-off form of `SpanRedactor.attributes` (no cache kept). */
export function redactAttributes(attributes: Attributes, policy: RedactionPolicy): Attributes {
  return new SpanRedactor(policy).attributes(attributes);
}

/** One-off form of `SpanRedactor.span` (no cache kept). */
export function redactSpan(span: ReadableSpan, policy: RedactionPolicy): ReadableSpan {
  return new SpanRedactor(policy).span(span);
}
