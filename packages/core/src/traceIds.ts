import { randomBytes } from 'node:crypto';

/**
 * Trace-id formats. OpenTelemetry writes a trace id as 32 lower-case hex digits; X-Ray writes the
 * same 128 bits as `1-<8 hex: epoch seconds>-<24 hex>`. Span ids / segment ids are 16 hex digits.
 */
/**
 * Lower-case hex digits in `id[from, to)`: -1 when another character is there, else 1 when one digit
 * is not zero and 0 when all are. A loop, not a regular expression: ids are checked several times per
 * request (the server span's, the segment's, each conversion), and two regex runs per check cost more.
 */
function hexDigits(id: string, from: number, to: number): number {
  let nonZero = 0;
  for (let i = from; i < to; i++) {
    const c = id.charCodeAt(i);
    if (c === 48) continue; // '0'
    if ((c < 49 || c > 57) && (c < 97 || c > 102)) return -1; // not '1'-'9', not 'a'-'f'
    nonZero = 1;
  }
  return nonZero;
}

/** 32 lower-case hex digits, not all zero. */
export function isValidOtelTraceId(id: string): boolean {
  return id.length === 32 && hexDigits(id, 0, 32) === 1;
}

/** `1-` then 8 and 24 lower-case hex digits separated by `-`, not all zero. */
export function isValidXRayTraceId(id: string): boolean {
  if (id.length !== 35 || id.charCodeAt(0) !== 49 || id.charCodeAt(1) !== 45 || id.charCodeAt(10) !== 45) {
    return false;
  }
  const time = hexDigits(id, 2, 10);
  const random = hexDigits(id, 11, 35);
  return time >= 0 && random >= 0 && time + random > 0;
}

/** A span id (OTel) or segment id (X-Ray): 16 hex digits, not all zero. */
export function isValidSpanId(id: string): boolean {
  return id.length === 16 && hexDigits(id, 0, 16) === 1;
}

/** `5f3c…` (32 hex) → `1-5f3c…-…`; `undefined` for an invalid id. */
export function otelToXRayTraceId(traceId: string): string | undefined {
  // Lower-cased only when it is not already valid: toLowerCase copies the string even when unchanged.
  if (isValidOtelTraceId(traceId)) return `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
  const id = traceId.toLowerCase();
  return isValidOtelTraceId(id) ? `1-${id.slice(0, 8)}-${id.slice(8)}` : undefined;
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
  while (!isValidSpanId(id)) id = randomHex(16);
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
