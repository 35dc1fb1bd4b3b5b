import type { RedactionPolicy } from '@sightline/core';
import { redactFields, redactTextUncached, sensitive } from './fastRedact';
import { isPlainObject, safeJson } from './format';
import { RepeatCache } from './repeatCache';

/** What one JSON line is made of, in the order its keys appear. */
export interface LineParts {
  /** ISO 8601 time, as `Date.prototype.toISOString` writes it. */
  iso: string;
  level: string;
  /** Already redacted. */
  message: string;
  service: string | undefined;
  /** The context hook's result, not redacted (it carries trace ids). */
  context: unknown;
  /** Already redacted (at `child()` time). */
  bindings: Record<string, unknown> | undefined;
  /** The call's fields, redacted here. */
  fields: Record<string, unknown> | undefined;
}

const RESERVED = new Set(['timestamp', 'level', 'message', 'service']);

/**
 * The reference: an object with the keys in order (a later source overrides an earlier one in its first
 * position, as object assignment does), `JSON.stringify`-ed.
 */
export function objectLine(p: LineParts, policy: RedactionPolicy): string {
  const out: Record<string, unknown> = { timestamp: p.iso, level: p.level, message: p.message };
  if (p.service !== undefined) out.service = p.service;
  if (p.context) assign(out, p.context as Record<string, unknown>);
  if (p.bindings) assign(out, p.bindings);
  if (p.fields) assign(out, redactFields(p.fields, policy));
  try {
    return JSON.stringify(out);
  } catch {
    return safeJson(out); // a BigInt or cycle in the context hook's fields
  }
}

function assign(out: Record<string, unknown>, extra: Record<string, unknown>): void {
  for (const key in extra) {
    const v = extra[key];
    if (v === undefined) continue;
    // A field named like a reserved key keeps its value under a prefixed name instead of overwriting it.
    out[RESERVED.has(key) ? `field_${key}` : key] = v;
  }
}

/** The bindings of one logger as a JSON fragment (they never change), or `null` when they need `objectLine`. */
export interface BindingsJson {
  /** `"k":v,…` without braces; empty when there are none. */
  fragment: string;
  /** Their keys as written (reserved ones renamed). */
  keys: string[];
}

export function bindingsJson(bindings: Record<string, unknown> | undefined): BindingsJson | null {
  if (!bindings) return { fragment: '', keys: [] };
  try {
    const o: Record<string, unknown> = {};
    for (const key in bindings) if (!plainKey(key)) return null;
    assign(o, bindings);
    return { fragment: JSON.stringify(o).slice(1, -1), keys: Object.keys(o) };
  } catch {
    return null;
  }
}

/**
 * A key written by hand: not one a JS object would move to the front (an array index) or treat
 * specially (`__proto__`); anything else goes through `objectLine`.
 */
function plainKey(key: string): boolean {
  const c = key.charCodeAt(0);
  return !(c >= 48 && c <= 57) && key !== '__proto__';
}

/** What the writer needs to know about one key, looked up once per line. */
interface KeyInfo {
  /** `,"key":` (reserved keys renamed). */
  prefix: string;
  /** The key as written. */
  name: string;
  reserved: boolean;
  /** Masked under the policy (for call fields). */
  sensitive: boolean;
}

interface WriterCache {
  /** `null`: a key left to `objectLine`. */
  keys: Map<string, KeyInfo | null>;
  /** Short field strings that came back, redacted and JSON-encoded (ids and other one-off values are not kept). */
  json: RepeatCache;
  /** A nested object's keys, JSON-encoded with their colon. */
  nested: Map<string, string>;
}

const writerCaches = new WeakMap<RedactionPolicy, WriterCache>();
const MAX_CACHED_KEYS = 5_000;
const MAX_CACHED_STRINGS = 10_000;
const SHORT = 256;

function writerCache(policy: RedactionPolicy): WriterCache {
  let c = writerCaches.get(policy);
  if (!c) {
    c = { keys: new Map(), json: new RepeatCache(MAX_CACHED_STRINGS), nested: new Map() };
    writerCaches.set(policy, c);
  }
  return c;
}

function keyInfo(key: string, c: WriterCache, policy: RedactionPolicy): KeyInfo | null {
  let k = c.keys.get(key);
  if (k === undefined) {
    const reserved = RESERVED.has(key);
    const name = reserved ? `field_${key}` : key;
    k = plainKey(key)
      ? { prefix: `,${JSON.stringify(name)}:`, name, reserved, sensitive: sensitive(key, policy) }
      : null;
    if (c.keys.size >= MAX_CACHED_KEYS) c.keys.clear();
    c.keys.set(key, k);
  }
  return k;
}

/** A call field's string value, redacted and JSON-encoded; only this function's cache keeps the result. */
function fieldString(v: string, c: WriterCache, policy: RedactionPolicy): string {
  if (v.length > SHORT) return jsonString(redactTextUncached(v, policy));
  return c.json.get(v) ?? c.json.offer(v, jsonString(redactTextUncached(v, policy)));
}

// Scratch space reused by every line (no per-call arrays): the pieces of the line, joined once into
// a flat string, and the keys written, kept to detect a repeat.
const parts: string[] = [];
const written: string[] = [];
let np = 0;
let nw = 0;
let busy = false;

// What `JSON.stringify` would escape (quote, backslash, control characters) or check (surrogates).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function put(piece: string): void {
  parts[np++] = piece;
}

/** `JSON.stringify(s)`, without its scan and copy when nothing needs escaping. */
function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

// Short messages, JSON-encoded (they are redacted already): most calls log a constant message.
const messages = new RepeatCache(MAX_CACHED_STRINGS);

function messageString(m: string): string {
  if (m.length > SHORT) return jsonString(m);
  return messages.get(m) ?? messages.offer(m, jsonString(m));
}

// `{"timestamp":"…","level":"…","message":` of the last line: many lines share a millisecond.
let headIso = '';
let headLevel = '';
let head = '';

/**
 * The same string as `objectLine`, written directly for the common case: flat fields of strings,
 * numbers, booleans and null, and flat nested objects. Returns `undefined` for anything else (Errors,
 * Dates, arrays, deep objects, a repeated key, an index-like key, `maxEntries` reached), and the
 * caller falls back to `objectLine`.
 */
export function fastLine(p: LineParts, b: BindingsJson | null, policy: RedactionPolicy): string | undefined {
  // A getter that logs would re-enter while the scratch arrays are in use: the inner line takes the object path.
  if (b === null || busy) return undefined;
  busy = true;
  np = 0;
  nw = 0;
  try {
    if (!write(p, b, policy)) return undefined;
    // Only the pieces of this line (an earlier, longer line left more).
    if (parts.length !== np) parts.length = np;
    return parts.join('');
  } finally {
    busy = false;
  }
}

/** Fills `parts`; false when the line needs `objectLine`. */
function write(p: LineParts, b: BindingsJson, policy: RedactionPolicy): boolean {
  if (p.iso !== headIso || p.level !== headLevel) {
    headIso = p.iso;
    headLevel = p.level;
    head = `{"timestamp":"${p.iso}","level":"${p.level}","message":`;
  }
  put(head);
  const c = writerCache(policy);
  put(messageString(p.message));
  if (p.service !== undefined) {
    if (typeof p.service !== 'string') return false;
    put(',"service":');
    put(jsonString(p.service));
  }
  const context = p.context;
  const hasContext = Boolean(context);
  const fields = p.fields;
  // Repeats are only possible across sources or through a renamed key: checked only then.
  let track = (hasContext ? 1 : 0) + (b.keys.length > 0 ? 1 : 0) + (fields ? 1 : 0) > 1;
  if (hasContext) {
    if (!isPlainObject(context)) return false;
    for (const key in context) {
      const v = context[key];
      if (v === undefined) continue;
      const k = keyInfo(key, c, policy);
      if (k === null) return false;
      if (k.reserved) track = true;
      written[nw++] = k.name;
      put(k.prefix);
      switch (typeof v) {
        case 'string':
          put(jsonString(v)); // not redacted, as in objectLine
          break;
        case 'number':
          put(Number.isFinite(v) ? `${v}` : 'null');
          break;
        case 'boolean':
          put(v ? 'true' : 'false');
          break;
        default:
          if (v !== null) return false;
          put('null');
      }
    }
  }
  if (b.fragment !== '') {
    put(',');
    put(b.fragment);
    for (const k of b.keys) written[nw++] = k;
  }
  if (fields) {
    let count = 0;
    for (const key in fields) {
      if (!Object.hasOwn(fields, key)) continue;
      if (count++ >= policy.maxEntries) return false;
      const v = fields[key];
      if (v === undefined) continue;
      const k = keyInfo(key, c, policy);
      if (k === null) return false;
      if (k.reserved) track = true;
      written[nw++] = k.name;
      put(k.prefix);
      if (v !== null && k.sensitive) {
        put(jsonString(policy.replacement));
        continue;
      }
      switch (typeof v) {
        case 'string':
          put(fieldString(v, c, policy));
          break;
        case 'number':
          put(Number.isFinite(v) ? `${v}` : `"${v}"`);
          break;
        case 'boolean':
          put(v ? 'true' : 'false');
          break;
        case 'object': {
          if (v === null) {
            put('null');
            break;
          }
          if (!putFlatObject(v, c, policy)) return false;
          break;
        }
        default:
          return false;
      }
    }
  }
  put('}');
  return !(track && hasRepeat());
}

/**
 * A nested object as `JSON.stringify(flatObject(v))` writes it (an access log's `http: { method, path,
 * status, … }`), straight into the line: no redacted copy, no second serializer pass. False for what
 * `flatObject` refuses (anything but a plain object of strings, finite numbers, booleans and null) and
 * for `__proto__`, which a copy drops: the caller then takes `objectLine`.
 */
function putFlatObject(v: object, c: WriterCache, policy: RedactionPolicy): boolean {
  if (policy.maxDepth <= 0) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  const obj = v as Record<string, unknown>;
  let count = 0;
  let open = '{';
  try {
    for (const key in obj) {
      if (!Object.hasOwn(obj, key)) continue;
      if (count++ >= policy.maxEntries || key === '__proto__') return false;
      const value = obj[key];
      if (value === undefined) continue;
      put(open);
      open = ',';
      put(nestedKey(key, c));
      if (value === null) {
        put('null');
        continue;
      }
      const type = typeof value;
      if (type === 'number' && !Number.isFinite(value)) return false;
      if (type !== 'string' && type !== 'number' && type !== 'boolean') return false;
      if (sensitive(key, policy)) put(jsonString(policy.replacement));
      else if (type === 'string') put(fieldString(value as string, c, policy));
      else put(`${value}`);
    }
  } catch {
    return false; // a throwing getter: objectLine renders it
  }
  put(open === '{' ? '{}' : '}');
  return true;
}

/** `"key":` for a nested object's key. */
function nestedKey(key: string, c: WriterCache): string {
  let k = c.nested.get(key);
  if (k === undefined) {
    k = `${JSON.stringify(key)}:`;
    if (c.nested.size >= MAX_CACHED_KEYS) c.nested.clear();
    c.nested.set(key, k);
  }
  return k;
}

function hasRepeat(): boolean {
  if (nw > 32) return new Set(written.slice(0, nw)).size !== nw;
  for (let i = 1; i < nw; i++) for (let j = 0; j < i; j++) if (written[i] === written[j]) return true;
  return false;
}
