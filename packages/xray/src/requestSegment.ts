import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '@opentelemetry/api';
import {
  firstForwardedFor,
  formatXRayTraceHeader,
  type HeaderValue,
  isValidSpanId,
  isValidXRayTraceId,
  parseXRayTraceHeader,
  type RedactionPolicy,
  redactUrl,
} from '@sightline/core';
import { bindRequestToEntity, contextWithEntity, withEntity } from './context';
import { type DocumentWriter, newSegment, type XRayEntity, type XRaySegment } from './documents';
import { addErrorTo } from './entityData';
import { newEntityId, newTraceId } from './ids';
import { globMatch } from './sampler';

/** The incoming request, as much as X-Ray records of it. */
export interface RequestInfo {
  method: string;
  /** Absolute URL or path with query (`/api/activities/home?x=1`). */
  url: string;
  /** Host header value; defaults to `headers.host`. */
  host?: string;
  headers: Readonly<Record<string, HeaderValue>>;
  remoteAddress?: string;
  /** `https` when the connection is TLS. Default `http`. */
  protocol?: 'http' | 'https';
}

/** Ids chosen by the caller (the OpenTelemetry server span), so both consoles show one trace. */
export interface SegmentIds {
  /** X-Ray form `1-…-…`. */
  traceId?: string;
  /** Segment id (the server span id), 16 hex digits. */
  id?: string;
  parentId?: string;
  sampled?: boolean;
}

export interface ResponseInfo {
  statusCode: number;
  contentLength?: number;
  error?: unknown;
}

export interface RequestSegment {
  readonly traceId: string;
  readonly id: string;
  readonly sampled: boolean;
  /** Value for the response's `X-Amzn-Trace-Id` header. */
  readonly traceHeader: string;
  /** Runs `fn` with this segment as the current X-Ray context. */
  run<T>(fn: () => T): T;
  /**
   * `ctx` with this segment as the current X-Ray context: for the context the request's later events
   * run in (tracing's server span binds them), so a handler called from a body's 'end' finds it.
   */
  inContext(ctx: Context): Context;
  /**
   * Runs the request's and the response's events (a body's 'data' and 'end', the response's 'finish')
   * with this segment current, for when nothing else carries the request's context into them (X-Ray
   * without tracing).
   */
  bind(request: IncomingMessage, response: ServerResponse): void;
  addError(error: unknown): void;
  /** Ends the segment (idempotent): response fields, error/throttle/fault flags, then sent. */
  close(response: ResponseInfo): void;
}

/** What the xray backend keeps in the context for the current request and (sub)segment. */
export interface ActiveEntity {
  traceId: string;
  segmentId: string;
  /** The (sub)segment document, or undefined when the request is not sampled. */
  entity: XRayEntity | undefined;
}

export function headerValue(headers: RequestInfo['headers'], name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[0] : String(v);
}

const NAME_INVALID = /[^\p{L}\p{N}\s_.:/%&#=+\\\-@]/gu;

// The last name cleaned: nearly every request has the service's name (a Unicode regex pass each time).
let lastName = '';
let lastSafeName = 'unknown';

/** X-Ray segment names allow letters, digits, whitespace and `_.:/%&#=+\-@`, 200 at most. */
export function safeSegmentName(name: string): string {
  if (name === lastName) return lastSafeName;
  const cleaned = name.replace(NAME_INVALID, '_').slice(0, 200);
  lastName = name;
  lastSafeName = cleaned === '' ? 'unknown' : cleaned;
  return lastSafeName;
}

export function segmentName(
  serviceName: string,
  dynamicNaming: string | undefined,
  host: string | undefined,
) {
  if (dynamicNaming !== undefined && host !== undefined && globMatch(dynamicNaming, host)) return host;
  return serviceName;
}

export interface IncomingTrace {
  traceId: string;
  parentId: string | undefined;
  /** The caller's decision when it made one (`Sampled=1/0`), or the OTel decision. */
  sampled: boolean | undefined;
}

/** Ids from the caller (OTel) first, then `X-Amzn-Trace-Id`, else new ones. */
export function incomingTrace(req: RequestInfo, ids: SegmentIds | undefined): IncomingTrace {
  const raw = headerValue(req.headers, 'x-amzn-trace-id');
  const header = raw === undefined ? undefined : parseXRayTraceHeader(raw);
  if (ids?.traceId !== undefined && isValidXRayTraceId(ids.traceId)) {
    const parentId = ids.parentId !== undefined && isValidSpanId(ids.parentId) ? ids.parentId : undefined;
    // The caller's Sampled flag still counts when tracing continued the same trace from its header.
    const callerDecision = header?.root === ids.traceId ? header.sampled : undefined;
    return { traceId: ids.traceId, parentId, sampled: ids.sampled ?? callerDecision };
  }
  if (header) {
    return {
      traceId: header.root,
      parentId: header.parent,
      sampled: ids?.sampled ?? header.sampled,
    };
  }
  return { traceId: newTraceId(), parentId: undefined, sampled: ids?.sampled };
}

/** Hoisted: a regular-expression literal in a function body is a new object on every call. */
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** `http.request` as X-Ray wants it: client_ip from the first `X-Forwarded-For` entry when present. */
export function httpRequestFields(req: RequestInfo, policy: RedactionPolicy): Record<string, unknown> {
  const host = req.host ?? headerValue(req.headers, 'host') ?? '';
  const absolute = ABSOLUTE_URL.test(req.url);
  const url = absolute ? req.url : `${req.protocol ?? 'http'}://${host}${req.url}`;
  const forwarded = headerValue(req.headers, 'x-forwarded-for');
  const out: Record<string, unknown> = {
    method: req.method.toUpperCase(),
    url: redactUrl(url, policy),
  };
  const clientIp = forwarded !== undefined ? firstForwardedFor(forwarded) : req.remoteAddress;
  if (clientIp) out.client_ip = clientIp;
  if (forwarded !== undefined) out.x_forwarded_for = true;
  const ua = headerValue(req.headers, 'user-agent');
  if (ua !== undefined) out.user_agent = ua;
  return out;
}

/** What both kinds of request segment put in the context: the entity the request's code runs under. */
abstract class SegmentInContext {
  protected abstract readonly active: ActiveEntity;

  run<T>(fn: () => T): T {
    return withEntity(this.active, fn);
  }

  inContext(ctx: Context): Context {
    return contextWithEntity(ctx, this.active);
  }

  bind(request: IncomingMessage, response: ServerResponse): void {
    bindRequestToEntity(request, response, this.active);
  }
}

/** A sampled request's segment. */
export class SampledRequestSegment extends SegmentInContext implements RequestSegment {
  readonly sampled = true;
  readonly traceHeader: string;
  private readonly segment: XRaySegment;
  protected readonly active: ActiveEntity;
  private closed = false;

  constructor(
    private readonly writer: DocumentWriter,
    private readonly policy: RedactionPolicy,
    name: string,
    trace: IncomingTrace,
    id: string | undefined,
    req: RequestInfo,
    rule: string | undefined,
  ) {
    super();
    this.segment = newSegment(
      writer,
      safeSegmentName(name),
      trace.traceId,
      trace.parentId,
      id !== undefined && isValidSpanId(id) ? id : undefined,
    );
    if (rule !== undefined) this.segment.setMatchedSamplingRule(rule);
    this.segment.http = { request: httpRequestFields(req, policy) };
    this.active = { traceId: this.segment.trace_id, segmentId: this.segment.id, entity: this.segment };
    this.traceHeader = formatXRayTraceHeader({ root: this.segment.trace_id, sampled: true });
  }

  get traceId(): string {
    return this.segment.trace_id;
  }

  get id(): string {
    return this.segment.id;
  }

  addError(error: unknown): void {
    if (!this.closed) addErrorTo(this.segment, error, this.policy);
  }

  close(response: ResponseInfo): void {
    if (this.closed) return;
    this.closed = true;
    const seg = this.segment;
    const status = Number.isInteger(response.statusCode) ? response.statusCode : 0;
    const http = seg.http as NonNullable<XRaySegment['http']>;
    http.response = { status };
    if (response.contentLength !== undefined && Number.isFinite(response.contentLength)) {
      http.response.content_length = response.contentLength;
    }
    if (response.error !== undefined) addErrorTo(seg, response.error, this.policy);
    // addError always sets fault; the status decides: 4xx error, 429 throttle, 5xx fault.
    if (status >= 400 && status < 500) {
      seg.addErrorFlag();
      seg.removeFaultFlag();
      if (status === 429) seg.addThrottleFlag();
    } else if (status >= 500) seg.addFaultFlag();
    seg.close();
    // Subsegments still open (background work): the segment is sent when the last one closes.
    if (seg.counter > 0) this.writer.awaitSubsegments(this.segment);
  }
}

/** An unsampled request: ids for the headers and the logs, nothing recorded, nothing sent. */
export class UnsampledRequestSegment extends SegmentInContext implements RequestSegment {
  readonly sampled = false;
  readonly traceHeader: string;
  readonly id: string;
  protected readonly active: ActiveEntity;

  constructor(
    readonly traceId: string,
    id: string | undefined,
  ) {
    super();
    this.id = id !== undefined && isValidSpanId(id) ? id : newEntityId();
    this.active = { traceId, segmentId: this.id, entity: undefined };
    this.traceHeader = formatXRayTraceHeader({ root: traceId, sampled: false });
  }

  addError(): void {}

  close(): void {}
}
