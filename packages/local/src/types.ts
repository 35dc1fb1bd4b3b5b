/** The four protocols `@sightline/local` speaks. */
export type Backend = 'otlp' | 'xray' | 'cwlogs' | 'rollbar';

/** A span attribute value, flattened from OTLP's `AnyValue`. */
export type AttributeValue =
  | string
  | number
  | boolean
  | Uint8Array
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/** Attributes as a plain object (OTLP `KeyValue[]` flattened; a repeated key keeps the last value). */
export type Attributes = Record<string, AttributeValue>;

/** OTLP span kinds by name (`SPAN_KIND_*` without the prefix). */
export type SpanKindName = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';

/** An OTLP span event. */
export interface StoredSpanEvent {
  name: string;
  /** Nanoseconds since the epoch, as a decimal string (exact; fixed64 does not fit a number). */
  timeUnixNano: string;
  attributes: Attributes;
}

/** An OTLP span link. */
export interface StoredSpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

/**
 * One span as received over OTLP/HTTP, decoded to plain values.
 * Ids are lower-case hex (traceId 32, spanId 16 characters); `parentSpanId` is `undefined` for a root span.
 */
export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  traceState: string;
  name: string;
  /** The numeric OTLP kind (1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER). */
  kind: number;
  kindName: SpanKindName;
  /** Nanoseconds since the epoch, as a decimal string. */
  startTimeUnixNano: string;
  /** Nanoseconds since the epoch, as a decimal string. */
  endTimeUnixNano: string;
  /** `end - start` in milliseconds (fractional). */
  durationMs: number;
  attributes: Attributes;
  events: StoredSpanEvent[];
  links: StoredSpanLink[];
  /** code: 0 UNSET, 1 OK, 2 ERROR. */
  status: { code: number; message: string };
  flags: number;
  /** The resource attributes of the `ResourceSpans` the span came in. */
  resource: Attributes;
  /** The instrumentation scope of the `ScopeSpans` the span came in. */
  scope: { name: string; version: string; attributes: Attributes };
  /** When the receiver stored it (ms since the epoch). */
  receivedAt: number;
}

/** An X-Ray segment or subsegment document as parsed from one daemon datagram. */
export interface StoredSegment {
  /** `'segment'`, or `'subsegment'` for a document sent on its own (`"type":"subsegment"`). */
  kind: 'segment' | 'subsegment';
  traceId: string;
  id: string;
  name: string;
  /** `parent_id` of the document, when it has one. */
  parentId: string | undefined;
  /** The parsed JSON document exactly as received. */
  document: Record<string, unknown>;
  /** Size of the datagram in bytes (header line included). */
  bytes: number;
  receivedAt: number;
}

/** One CloudWatch Logs event as stored by `PutLogEvents`. */
export interface StoredLogEvent {
  group: string;
  stream: string;
  /** The event's own timestamp (ms since the epoch). */
  timestamp: number;
  message: string;
  /** When the receiver accepted it (ms since the epoch). */
  ingestionTime: number;
}

/** One Rollbar item as received. */
export interface StoredItem {
  /** The uuid the receiver answered with. */
  uuid: string;
  /** The access token, masked (`****abcd`). */
  accessToken: string;
  /** `payload.data`, for convenience. */
  data: Record<string, unknown>;
  /** The whole JSON body as received. */
  payload: Record<string, unknown>;
  receivedAt: number;
}

/** One entry of the per-backend request log. */
export interface RequestRecord {
  backend: Backend;
  /** ms since the epoch. */
  at: number;
  /** Body size on the wire (compressed size when compressed; datagram size for X-Ray). */
  bytes: number;
  /** HTTP status answered; for X-Ray datagrams `0` (UDP has no answer). */
  status: number;
  /** `'POST /v1/traces'`, `'PutLogEvents'`, `'datagram'`, … */
  operation: string;
  /** Request headers, lower-case names, secrets masked (`****abcd`). Empty for X-Ray. */
  headers: Record<string, string>;
  /** What happened when it was not a plain success: `'throttled'`, `'fault'`, `'rejected'`, `'dropped'`. */
  outcome: 'ok' | 'rejected' | 'throttled' | 'fault' | 'dropped';
}

/** Something a receiver refused, with the reason, so tests can assert a sender bug was caught. */
export interface Rejection {
  backend: Backend;
  at: number;
  /** Machine-readable reason, e.g. `'InvalidParameterException'`, `'missing_end_time'`, `'invalid_level'`. */
  reason: string;
  /** Human-readable detail (the message the sender was answered with). */
  message: string;
}

/** Counters of `local.stats()`. */
export interface LocalStats {
  spans: number;
  segments: number;
  logEvents: number;
  items: number;
  requests: number;
  rejections: number;
  /** Records evicted because a memory cap was reached, per store. */
  evicted: {
    spans: number;
    segments: number;
    logEvents: number;
    items: number;
    requests: number;
    rejections: number;
  };
}
