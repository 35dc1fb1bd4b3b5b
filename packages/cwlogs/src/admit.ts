import type { DropReason } from '@sightline/core';
import { AGE_MARGIN_MS, EVENT_OVERHEAD_BYTES, eventSize, MAX_FUTURE_MS } from './limits';
import type { OversizePolicy } from './options';
import { splitMessage, truncateMessage } from './oversize';

export interface AdmitLimits {
  maxEventBytes: number;
  oversize: OversizePolicy;
  /** Events older than this (14 days, or the retention we set) are refused. */
  maxAgeMs: number;
}

export type Admission =
  | { ok: true; timestamp: number; parts: string[]; sizes: number[]; bytes: number }
  | { ok: false; reason: DropReason };

/**
 * Checks one event against CloudWatch's rules before it is queued, and cuts an oversize message into
 * parts (or truncates it). Pure: the caller counts the refusal.
 */
export function admitEvent(
  message: unknown,
  timestamp: unknown,
  now: number,
  limits: AdmitLimits,
): Admission {
  const text = typeof message === 'string' ? message : String(message);
  const ts = typeof timestamp === 'number' && Number.isFinite(timestamp) ? Math.trunc(timestamp) : now;
  // CloudWatch rejects empty messages (minimum length 1).
  if (text.length === 0) return { ok: false, reason: 'invalid' };
  // Dropped rather than clamped: a clamped timestamp would misplace the event in time.
  if (ts > now + MAX_FUTURE_MS) return { ok: false, reason: 'too_new' };
  if (ts < now - limits.maxAgeMs + AGE_MARGIN_MS) return { ok: false, reason: 'too_old' };
  const size = eventSize(text);
  if (size <= limits.maxEventBytes)
    return { ok: true, timestamp: ts, parts: [text], sizes: [size], bytes: size };
  const parts =
    limits.oversize === 'split'
      ? splitMessage(text, limits.maxEventBytes)
      : [truncateMessage(text, limits.maxEventBytes)];
  const sizes = parts.map((p) => Buffer.byteLength(p, 'utf8') + EVENT_OVERHEAD_BYTES);
  return { ok: true, timestamp: ts, parts, sizes, bytes: sizes.reduce((a, b) => a + b, 0) };
}
