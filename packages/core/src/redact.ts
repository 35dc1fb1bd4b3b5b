/**
 * One redaction policy for every sink: span attributes, X-Ray annotations and metadata, log fields
 * and Rollbar payloads are all passed through the same functions with the same policy.
 */
export interface RedactionPolicy {
  /** Header names (lower-case) whose values are always masked. */
  readonly headerNames: ReadonlySet<string>;
  /** Field names, normalized (lower-case, no `-`/`_`): a key equal to or ending with one is masked. */
  readonly fieldNames: readonly string[];
  /** Patterns masked inside any string value. */
  readonly patterns: readonly RegExp[];
  /** Replacement for masked values. Default `[REDACTED]`. */
  readonly replacement: string;
  /** Objects nested deeper than this become `[MaxDepth]`. Default 8. */
  readonly maxDepth: number;
  /** Strings longer than this are cut with a `…[truncated N chars]` marker. Default 8192. */
  readonly maxStringLength: number;
  /** Arrays and objects keep at most this many entries. Default 200. */
  readonly maxEntries: number;
}

export interface RedactionOptions {
  /** Extra header names to mask (added to the defaults). */
  headerNames?: readonly string[];
  /** Extra field names to mask (added to the defaults). */
  fieldNames?: readonly string[];
  /** Extra value patterns to mask (added to the defaults). A pattern without the `g` flag gets it. */
  patterns?: readonly RegExp[];
  replacement?: string;
  maxDepth?: number;
  maxStringLength?: number;
  maxEntries?: number;
}

export const DEFAULT_REDACTED_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
  'x-csrf-token',
  'x-xsrf-token',
  'x-honeycomb-team',
  'x-rollbar-access-token',
  'x-amz-security-token',
  'x-amz-content-sha256',
];

export const DEFAULT_REDACTED_FIELDS: readonly string[] = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'apikey',
  'privatekey',
  'clientsecret',
  'awssecretaccesskey',
  'secretaccesskey',
  'sessiontoken',
  'authorization',
  'cookie',
  'creditcard',
  'cardnumber',
  'cvv',
  'ssn',
];

export const DEFAULT_REDACTED_PATTERNS: readonly RegExp[] = [
  // Bearer / Basic credentials wherever they appear in text.
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi,
  // AWS access key ids (long-term AKIA, temporary ASIA).
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  // An AWS secret key is 40 base64 characters; only masked where it is labelled, to spare hashes.
  /(aws_?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/gi,
  // Credentials embedded in URLs: scheme://user:password@host
  /(?<=[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+(?=@)/gi,
  // `password=…`, `token: …` and the like inside free text (error messages, log lines).
  /\b((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?token|client[_-]?secret)\s*[=:]\s*)[^\s&,;"']+/gi,
  // JSON Web Tokens.
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g,
];

function withGlobal(re: RegExp): RegExp {
  return re.flags.includes('g') ? re : new RegExp(re.source, `${re.flags}g`);
}

const FIELD_NAME_SEPARATORS = /[-_.\s]/g;

export function normalizeFieldName(name: string): string {
  return name.toLowerCase().replace(FIELD_NAME_SEPARATORS, '');
}

export function createRedactionPolicy(options: RedactionOptions = {}): RedactionPolicy {
  return {
    headerNames: new Set(
      [...DEFAULT_REDACTED_HEADERS, ...(options.headerNames ?? [])].map((h) => h.toLowerCase()),
    ),
    fieldNames: [
      ...new Set([...DEFAULT_REDACTED_FIELDS, ...(options.fieldNames ?? [])].map(normalizeFieldName)),
    ],
    patterns: [...DEFAULT_REDACTED_PATTERNS, ...(options.patterns ?? [])].map(withGlobal),
    replacement: options.replacement ?? '[REDACTED]',
    maxDepth: options.maxDepth ?? 8,
    maxStringLength: options.maxStringLength ?? 8192,
    maxEntries: options.maxEntries ?? 200,
  };
}

export const defaultRedactionPolicy: RedactionPolicy = createRedactionPolicy();

export function isSensitiveField(name: string, policy: RedactionPolicy = defaultRedactionPolicy): boolean {
  const n = normalizeFieldName(name);
  return policy.fieldNames.some((f) => n === f || n.endsWith(f));
}

export function isSensitiveHeader(name: string, policy: RedactionPolicy = defaultRedactionPolicy): boolean {
  return policy.headerNames.has(name.toLowerCase()) || isSensitiveField(name, policy);
}

// One case-insensitive alternation of every pattern per policy: a cheap first test that lets the
// common case (a string with no secret in it) skip the per-pattern replacements. It matches a superset
// of what the patterns match, so it can only say "maybe", never miss a secret.
const prefilters = new WeakMap<RedactionPolicy, RegExp>();

function prefilterOf(policy: RedactionPolicy): RegExp {
  let re = prefilters.get(policy);
  if (!re) {
    re = new RegExp(policy.patterns.map((p) => `(?:${p.source})`).join('|'), 'i');
    prefilters.set(policy, re);
  }
  return re;
}

/** Masks every policy pattern inside a string and cuts it to `maxStringLength`. */
export function redactString(value: string, policy: RedactionPolicy = defaultRedactionPolicy): string {
  let out = value;
  if (policy.patterns.length > 0 && prefilterOf(policy).test(value)) {
    for (const re of policy.patterns) {
      re.lastIndex = 0;
      out = out.replace(re, (match, prefix: unknown) =>
        typeof prefix === 'string' && match.startsWith(prefix)
          ? `${prefix}${policy.replacement}`
          : policy.replacement,
      );
    }
  }
  if (out.length > policy.maxStringLength) {
    const cut = out.length - policy.maxStringLength;
    out = `${out.slice(0, policy.maxStringLength)}…[truncated ${cut} chars]`;
  }
  return out;
}

// URLs repeat from request to request (the same routes and queries, in X-Ray's http.request, the access
// log and span attributes): results for short URLs are remembered per policy, in a bounded map that
// starts over when full.
const MAX_CACHED_URLS = 2048;
const MAX_CACHED_URL_LENGTH = 512;
const urlCaches = new WeakMap<RedactionPolicy, Map<string, string>>();

/** Masks sensitive query parameters and embedded credentials of a URL (absolute or path-only). */
export function redactUrl(url: string, policy: RedactionPolicy = defaultRedactionPolicy): string {
  if (url.length > MAX_CACHED_URL_LENGTH) return redactUrlNow(url, policy);
  let cache = urlCaches.get(policy);
  if (cache === undefined) {
    cache = new Map();
    urlCaches.set(policy, cache);
  }
  let out = cache.get(url);
  if (out === undefined) {
    out = redactUrlNow(url, policy);
    if (cache.size >= MAX_CACHED_URLS) cache.clear();
    cache.set(url, out);
  }
  return out;
}

function redactUrlNow(url: string, policy: RedactionPolicy): string {
  const q = url.indexOf('?');
  const base = redactString(q === -1 ? url : url.slice(0, q), policy);
  if (q === -1) return base;
  const hashAt = url.indexOf('#', q);
  const query = url.slice(q + 1, hashAt === -1 ? undefined : hashAt);
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq === -1) return redactString(pair, policy);
    let key = pair.slice(0, eq);
    try {
      key = decodeURIComponent(key);
    } catch {
      // keep the raw key
    }
    return isSensitiveField(key, policy)
      ? `${pair.slice(0, eq)}=${encodeURIComponent(policy.replacement)}`
      : redactString(pair, policy);
  });
  return `${base}?${parts.join('&')}`;
}

export type HeaderValue = string | number | readonly string[] | undefined;

/** Returns a copy of the headers with sensitive ones masked; other values pattern-scrubbed. */
export function redactHeaders(
  headers: Readonly<Record<string, HeaderValue>>,
  policy: RedactionPolicy = defaultRedactionPolicy,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (isSensitiveHeader(name, policy)) out[name] = policy.replacement;
    else if (Array.isArray(value)) out[name] = value.map((v) => redactString(String(v), policy));
    else out[name] = redactString(String(value), policy);
  }
  return out;
}

/**
 * Deep-copies any value into plain JSON-safe data with sensitive fields masked: cycles become
 * `[Circular]`, depth past `maxDepth` becomes `[MaxDepth]`, large collections are cut, and Errors,
 * Dates, Maps, Sets, Buffers, BigInts, functions and symbols get a readable form. Never throws.
 */
export function redactValue(value: unknown, policy: RedactionPolicy = defaultRedactionPolicy): unknown {
  return walk(value, policy, 0, new WeakSet());
}

function walk(value: unknown, policy: RedactionPolicy, depth: number, seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case 'string':
      return redactString(value, policy);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
      return undefined;
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`;
  }
  if (value === null) return null;
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  if (depth >= policy.maxDepth) return '[MaxDepth]';
  seen.add(obj);
  try {
    return walkObject(obj, policy, depth, seen);
  } catch {
    return '[Unserializable]';
  } finally {
    seen.delete(obj);
  }
}

function walkObject(obj: object, policy: RedactionPolicy, depth: number, seen: WeakSet<object>): unknown {
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (Buffer.isBuffer(obj) || obj instanceof Uint8Array) return `[Buffer ${obj.byteLength} bytes]`;
  if (obj instanceof RegExp) return obj.toString();
  if (obj instanceof Error) return walkError(obj, policy, depth, seen);
  if (Array.isArray(obj) || obj instanceof Set) {
    const items = Array.isArray(obj) ? obj : [...obj];
    const out = items.slice(0, policy.maxEntries).map((v) => walk(v, policy, depth + 1, seen));
    if (items.length > policy.maxEntries) out.push(`[${items.length - policy.maxEntries} more items]`);
    return out;
  }
  const entries: [string, unknown][] =
    obj instanceof Map ? [...obj.entries()].map(([k, v]) => [String(k), v]) : Object.entries(obj);
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const [key, v] of entries) {
    if (count++ >= policy.maxEntries) {
      out['…'] = `[${entries.length - policy.maxEntries} more keys]`;
      break;
    }
    out[key] =
      isSensitiveField(key, policy) && v !== undefined && v !== null
        ? policy.replacement
        : walk(v, policy, depth + 1, seen);
  }
  return out;
}

function walkError(err: Error, policy: RedactionPolicy, depth: number, seen: WeakSet<object>): unknown {
  const out: Record<string, unknown> = { name: err.name, message: redactString(err.message, policy) };
  if (err.stack) out.stack = redactString(err.stack, policy);
  const extra = err as unknown as Record<string, unknown>;
  for (const key of Object.keys(err)) {
    if (key === 'cause') continue;
    out[key] = isSensitiveField(key, policy) ? policy.replacement : walk(extra[key], policy, depth + 1, seen);
  }
  if (err.cause !== undefined) out.cause = walk(err.cause, policy, depth + 1, seen);
  return out;
}

/**
 * Masks a secret for display: `****abcd` keeps the last 4 characters only when the secret is long
 * enough (>= 16) that they reveal little; shorter secrets are fully masked.
 */
export function maskSecret(secret: string | undefined): string {
  if (secret === undefined || secret === '') return '(unset)';
  return secret.length >= 16 ? `****${secret.slice(-4)}` : '****';
}
