import { isSensitiveField, type RedactionPolicy, redactString, redactValue } from '@sightline/core';
import { RepeatCache } from './repeatCache';

/**
 * The logger's hot path: the same results as core's `redactString` / `redactValue` (which remain the
 * reference), with per-policy caches so a log call with flat fields costs a few hundred nanoseconds:
 * one combined regex decides whether any pattern can match before the patterns run one by one, and
 * field-name verdicts are memoized (the same keys come back on every call).
 */
interface PolicyCache {
  anyPattern: RegExp | null;
  anyUrlPattern: RegExp | null;
  keys: Map<string, boolean>;
  /** Verdicts on short strings that came back: messages, paths and statuses repeat from call to call. */
  short: RepeatCache;
}

const caches = new WeakMap<RedactionPolicy, PolicyCache>();
const MAX_CACHED_KEYS = 5_000;
const MAX_CACHED_STRINGS = 10_000;
const SHORT = 256;

function cacheFor(policy: RedactionPolicy): PolicyCache {
  let c = caches.get(policy);
  if (!c) {
    // A pattern that needs "://" (URL credentials, written with a costly lookbehind) is only tried on
    // strings that contain it; the others are OR-ed into one regex.
    const urlPatterns = policy.patterns.filter((p) => p.source.includes(':\\/\\/'));
    const others = policy.patterns.filter((p) => !urlPatterns.includes(p));
    const anyPattern = combine(others);
    const anyUrlPattern = combine(urlPatterns);
    c = { anyPattern, anyUrlPattern, keys: new Map(), short: new RepeatCache(MAX_CACHED_STRINGS) };
    caches.set(policy, c);
  }
  return c;
}

function combine(patterns: readonly RegExp[]): RegExp | null {
  if (patterns.length === 0) return null;
  try {
    // Patterns without the i flag are case-sensitive; OR-ing them under 'i' can only add false
    // positives, which just send the string through the exact per-pattern pass.
    const flags = patterns.some((p) => p.flags.includes('i')) ? 'i' : '';
    return new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'), flags);
  } catch {
    return /[\s\S]/; // could not combine: always take the exact path
  }
}

/** `redactString` with a fast negative pre-check. */
export function redactText(value: string, policy: RedactionPolicy): string {
  const c = cacheFor(policy);
  if (value.length <= SHORT) {
    const known = c.short.get(value);
    if (known !== undefined) return known;
    return c.short.offer(value, exact(value, policy, c));
  }
  return exact(value, policy, c);
}

/**
 * `redactString` with the fast negative pre-check and no cache, for a caller that caches what it makes
 * of the result itself (the JSON line writer): one cache per value, not two.
 */
export function redactTextUncached(value: string, policy: RedactionPolicy): string {
  return exact(value, policy, cacheFor(policy));
}

function exact(value: string, policy: RedactionPolicy, c: PolicyCache): string {
  const maybe =
    value.length > policy.maxStringLength ||
    c.anyPattern?.test(value) === true ||
    (c.anyUrlPattern !== null && value.includes('://') && c.anyUrlPattern.test(value));
  if (!maybe) return value;
  return redactString(value, policy);
}

export function sensitive(key: string, policy: RedactionPolicy): boolean {
  const c = cacheFor(policy);
  let v = c.keys.get(key);
  if (v === undefined) {
    v = isSensitiveField(key, policy);
    if (c.keys.size >= MAX_CACHED_KEYS) c.keys.clear();
    c.keys.set(key, v);
  }
  return v;
}

/** Redacts one level of fields quickly; nested objects go through core's `redactValue`. */
export function redactFields(
  fields: Record<string, unknown>,
  policy: RedactionPolicy,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    if (count++ >= policy.maxEntries) {
      out['…'] = '[more keys]';
      break;
    }
    const v = fields[key];
    if (v === undefined) continue;
    if (v !== null && sensitive(key, policy)) {
      out[key] = policy.replacement;
      continue;
    }
    switch (typeof v) {
      case 'string':
        out[key] = redactText(v, policy);
        break;
      case 'boolean':
        out[key] = v;
        break;
      case 'number':
        out[key] = Number.isFinite(v) ? v : String(v);
        break;
      default:
        out[key] = flatObject(v, policy) ?? redactValue(v, policy);
    }
  }
  return out;
}

/**
 * A nested plain object whose values are all strings, finite numbers, booleans, null or undefined (an
 * access log's `http: { method, path, status, … }`), redacted as `redactValue` would, with the cached
 * key and string verdicts; `undefined` for anything else, which then goes through `redactValue`.
 */
export function flatObject(v: unknown, policy: RedactionPolicy): Record<string, unknown> | undefined {
  if (typeof v !== 'object' || v === null || policy.maxDepth <= 0) return undefined;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return undefined;
  try {
    return flatFields(v as Record<string, unknown>, policy);
  } catch {
    return undefined; // a throwing getter: redactValue renders it
  }
}

function flatFields(
  obj: Record<string, unknown>,
  policy: RedactionPolicy,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    if (count++ >= policy.maxEntries) return undefined;
    const value = obj[key];
    if (value === undefined || value === null) {
      out[key] = value;
      continue;
    }
    switch (typeof value) {
      case 'string':
        out[key] = sensitive(key, policy) ? policy.replacement : redactText(value, policy);
        break;
      case 'boolean':
        out[key] = sensitive(key, policy) ? policy.replacement : value;
        break;
      case 'number':
        if (!Number.isFinite(value)) return undefined;
        out[key] = sensitive(key, policy) ? policy.replacement : value;
        break;
      default:
        return undefined;
    }
  }
  return out;
}
