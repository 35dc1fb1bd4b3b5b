import { randomBytes } from 'node:crypto';

/**
 * Trace-id formats. OpenTelemetry writes a trace id as 32 lower-case hex digits; X-Ray writes the
 * same 128 bits as `1-<8 hex: epoch seconds>-<24 hex>`. Span ids / segment ids are 16 hex digits.
 */
const OTEL_TRACE_ID = /^[0-9a-f]{32}$/;
const XRAY_TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZERO = /^[0-]*$/;
/** Hoisted: a regular-expression literal in a function body is a new object on every call. */
const ZERO_XRAY_TRACE_ID = /^1-0{8}-0{24}$/;

export function isValidOtelTraceId(id: string): boolean {
  return OTEL_TRACE_ID.test(id) && !ALL_ZERO.test(id);
}

export function isValidXRayTraceId(id: string): boolean {
  return XRAY_TRACE_ID.test(id) && !ZERO_XRAY_TRACE_ID.test(id);
}

/** A span id (OTel) or segment id (X-Ray): 16 hex digits, not all zero. */
export function isValidSpanId(id: string): boolean {
  return SPAN_ID.test(id) && !ALL_ZERO.test(id);
}

/** `5f3c…` (32 hex) → `1-5f3c…-…`; `undefined` for an invalid id. */
export function otelToXRayTraceId(traceId: string): string | undefined {
  const id = traceId.toLowerCase();
  if (!isValidOtelTraceId(id)) return undefined;
  return `1-${id.slice(0, 8)}-${id.slice(8)}`;
}

/** `1-5f3c…-…` → 32 hex; `undefined` for an invalid id. */
export function xrayToOtelTraceId(xrayTraceId: string): string | undefined {
  const id = xrayTraceId.toLowerCase();
  if (!isValidXRayTraceId(id)) return undefined;
  return `${id.slice(2, 10)}${id.slice(11)}`;
}

/** A new X-Ray-layout trace id: epoch seconds then 96 random bits, as X-Ray requires. */
export function newXRayTraceId(nowMs: number = Date.now()): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  return `1-${seconds}-${randomHex(24)}`;
}

export function newSpanId(): string {
  let id = randomHex(16);
  while (ALL_ZERO.test(id)) id = randomHex(16);
  return id;
}

function randomHex(digits: number): string {
  return randomBytes(digits / 2).toString('hex');
}

export interface XRayTraceHeader {
  /** `Root=` — the X-Ray trace id. */
  root: string;
  /** `Parent=` — the caller's segment/subsegment id, when present. */
  parent?: string;
  /** `Sampled=1` → true, `0` → false, `?`/absent → undefined (the receiver decides). */
  sampled?: boolean;
  /** `Lineage=` and any other fields, kept as given so they pass through. */
  extra: Record<string, string>;
}

/**
 * Parses `X-Amzn-Trace-Id` (`Root=1-…;Parent=…;Sampled=1`). Order and case of keys are free and
 * whitespace is tolerated. Returns `undefined` when there is no valid Root; an invalid Parent is dropped
 * (the trace continues without it, as the SDK does).
 */
export function parseXRayTraceHeader(
  header: string | readonly string[] | undefined,
): XRayTraceHeader | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 512) return undefined;
  let root: string | undefined;
  let parent: string | undefined;
  let sampled: boolean | undefined;
  const extra: Record<string, string> = {};
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    switch (key.toLowerCase()) {
      case 'root':
        root = value.toLowerCase();
        break;
      case 'parent':
        parent = value.toLowerCase();
        break;
      case 'sampled':
        sampled = value === '1' ? true : value === '0' ? false : undefined;
        break;
      default:
        if (key !== '') extra[key] = value;
    }
  }
  if (root === undefined || !isValidXRayTraceId(root)) return undefined;
  const out: XRayTraceHeader = { root, extra };
  if (parent !== undefined && isValidSpanId(parent)) out.parent = parent;
  if (sampled !== undefined) out.sampled = sampled;
  return out;
}

/** Formats `X-Amzn-Trace-Id`: `Root=…;Parent=…;Sampled=1`, with Parent and Sampled only when known. */
export function formatXRayTraceHeader(
  header: Omit<XRayTraceHeader, 'extra'> & { extra?: Record<string, string> },
): string {
  let out = `Root=${header.root}`;
  if (header.parent !== undefined) out += `;Parent=${header.parent}`;
  if (header.sampled !== undefined) out += `;Sampled=${header.sampled ? '1' : '0'}`;
  for (const [k, v] of Object.entries(header.extra ?? {})) out += `;${k}=${v}`;
  return out;
}
