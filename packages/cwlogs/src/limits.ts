/**
 * CloudWatch Logs `PutLogEvents` limits (API reference and quotas page, 2026). Every request the
 * batcher builds is checked against these.
 */

/** Bytes counted per event on top of its UTF-8 message bytes. */
export const EVENT_OVERHEAD_BYTES = 26;
/** Largest request: Σ(UTF-8 bytes + 26). */
export const MAX_REQUEST_BYTES = 1_048_576;
/** Most events in one request. */
export const MAX_REQUEST_EVENTS = 10_000;
/** Largest single event (message bytes + 26): the current API allows 1 MB. */
export const MAX_EVENT_BYTES = 1_048_576;
/** The events of one request may span at most 24 hours. */
export const MAX_REQUEST_SPAN_MS = 24 * 60 * 60 * 1000;
/** Events more than 2 hours in the future are rejected. */
export const MAX_FUTURE_MS = 2 * 60 * 60 * 1000;
/** Events older than 14 days are rejected. */
export const MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
/**
 * Margin kept before the 14-day / retention edge: an event this close to it is given up rather than
 * sent, because it could cross the edge while the request travels.
 */
export const AGE_MARGIN_MS = 5 * 60 * 1000;

/** CloudWatch's retention values (`PutRetentionPolicy`). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Group names: 1–512 of `[.\-_/#A-Za-z0-9]`. */
export const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** Counted size of one event. */
export function eventSize(message: string): number {
  return Buffer.byteLength(message, 'utf8') + EVENT_OVERHEAD_BYTES;
}
