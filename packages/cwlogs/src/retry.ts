import type { DropReason } from '@sightline/core';
import type { RejectedLogEventsInfo } from './sender';

/**
 * Delay before retry number `failures` (1-based): `min(max, base · 2^(failures-1))`, half of it fixed
 * and half random ("equal jitter"), so that many processes retrying together spread out while no
 * delay ever exceeds `max`.
 */
export function backoffDelay(failures: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return ceiling / 2 + random() * (ceiling / 2);
}

function clampIndex(v: number | undefined, n: number, fallback: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) return fallback;
  return Math.min(n, Math.max(0, v));
}

/**
 * Splits an acknowledged, sorted batch by `rejectedLogEventsInfo`: the rejected events are a prefix
 * (too old, then expired) and a suffix (too new); the rest was stored.
 */
export function splitByRejection<T>(
  batch: T[],
  info: RejectedLogEventsInfo | undefined,
): [T[], DropReason | 'sent'][] {
  if (!info) return [[batch, 'sent']];
  const n = batch.length;
  const tooOldEnd = clampIndex(info.tooOldLogEventEndIndex, n, 0);
  const prefixEnd = Math.max(tooOldEnd, clampIndex(info.expiredLogEventEndIndex, n, 0));
  const suffixStart = Math.max(prefixEnd, clampIndex(info.tooNewLogEventStartIndex, n, n));
  return [
    [batch.slice(0, tooOldEnd), 'too_old'],
    [batch.slice(tooOldEnd, prefixEnd), 'expired'],
    [batch.slice(prefixEnd, suffixStart), 'sent'],
    [batch.slice(suffixStart), 'too_new'],
  ];
}
