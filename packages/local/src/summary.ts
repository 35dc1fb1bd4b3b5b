import type { LocalEnv } from './startLocal';
import type { LocalStats, Rejection } from './types';

/** Totals received since start (evicted records included), the CLI's counters. */
export interface Totals {
  spans: number;
  segments: number;
  logEvents: number;
  items: number;
  rejections: number;
}

export function totalsOf(stats: LocalStats): Totals {
  return {
    spans: stats.spans + stats.evicted.spans,
    segments: stats.segments + stats.evicted.segments,
    logEvents: stats.logEvents + stats.evicted.logEvents,
    items: stats.items + stats.evicted.items,
    rejections: stats.rejections + stats.evicted.rejections,
  };
}

/** Per-second rates between two snapshots `elapsedMs` apart. */
export function ratesOf(previous: Totals, current: Totals, elapsedMs: number): Totals {
  const per = (a: number, b: number) => Math.round(((b - a) * 1000) / Math.max(elapsedMs, 1));
  return {
    spans: per(previous.spans, current.spans),
    segments: per(previous.segments, current.segments),
    logEvents: per(previous.logEvents, current.logEvents),
    items: per(previous.items, current.items),
    rejections: per(previous.rejections, current.rejections),
  };
}

/** `export NAME=value` lines, quoted for POSIX shells. */
export function exportLines(env: LocalEnv): string[] {
  return Object.entries(env).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** One compact line: `spans 12 (+3/s)  segments 4 (+1/s)  …`. */
export function liveLine(totals: Totals, rates: Totals): string {
  const part = (label: string, key: keyof Totals) => `${label} ${totals[key]} (+${rates[key]}/s)`;
  return [
    part('spans', 'spans'),
    part('segments', 'segments'),
    part('log events', 'logEvents'),
    part('items', 'items'),
    part('rejections', 'rejections'),
  ].join('  ');
}

/** One line per rejection, as it happens. */
export function rejectionLine(rejection: Rejection): string {
  return `✗ ${rejection.backend} ${rejection.reason}: ${rejection.message}`;
}

/** The final summary: totals, evictions, and rejections grouped by backend and reason. */
export function finalSummary(
  stats: LocalStats,
  rejections: readonly Rejection[],
  uptimeMs: number,
): string[] {
  const totals = totalsOf(stats);
  const lines = [
    `sightline-local ran ${(uptimeMs / 1000).toFixed(1)} s`,
    `  spans ${totals.spans}, segments ${totals.segments}, log events ${totals.logEvents}, items ${totals.items}`,
    `  rejections ${totals.rejections}`,
  ];
  for (const [key, count] of countBy(rejections, (r) => `${r.backend} ${r.reason}`)) {
    lines.push(`    ${key}: ${count}`);
  }
  const evicted = Object.entries(stats.evicted).filter(([, count]) => count > 0);
  if (evicted.length > 0) {
    lines.push(`  evicted by memory caps: ${evicted.map(([name, count]) => `${name} ${count}`).join(', ')}`);
  }
  return lines;
}

export function countBy<T>(list: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of list) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
