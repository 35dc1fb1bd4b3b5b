import { keyAt, keyCount } from './keyOrder';

/**
 * Helpers for the document classes' `toJSONString()`: each class writes its known fields itself (fixed
 * ones, then optional ones in the order they were set), the text `JSON.stringify` would write for them
 * (undefined values and an empty `subsegments` left out), without building a copy of the entity first.
 */

/** `,"key":<json>`, or nothing when the value is undefined (or a function: JSON.stringify skips it too). */
export function member(key: string, value: unknown): string {
  if (value === undefined) return '';
  const json = JSON.stringify(value);
  return json === undefined ? '' : `,"${key}":${json}`;
}

// A string JSON.stringify writes as is between quotes: no quote, backslash, control character or
// surrogate (a lone surrogate is escaped; pairs are rare enough to take the slow path).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes.
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `member` for a field that is normally a string (ids, names): no JSON.stringify call when none is needed. */
export function stringMember(key: string, value: unknown): string {
  return typeof value === 'string' && !ESCAPED.test(value) ? `,"${key}":"${value}"` : member(key, value);
}

/** `member` for a field that is normally a number (times): a finite number is written as JSON writes it. */
export function numberMember(key: string, value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? `,"${key}":${value}` : member(key, value);
}

/** `member` for a flag (`in_progress`, `fault`…), normally `true` or undefined. */
export function flagMember(key: string, value: unknown): string {
  return value === true ? `,"${key}":true` : member(key, value);
}

interface Serializable {
  toJSONString(): string;
}

/** `,"subsegments":[…]` with each child written by its own `toJSONString`, or nothing when empty. */
export function subsegmentsMember(list: readonly unknown[] | undefined): string {
  if (list === undefined || list.length === 0) return '';
  let out = ',"subsegments":[';
  for (let i = 0; i < list.length; i++) {
    const sub = list[i] as Partial<Serializable> | undefined;
    if (i > 0) out += ',';
    out += typeof sub?.toJSONString === 'function' ? sub.toJSONString() : (JSON.stringify(sub) ?? 'null');
  }
  return `${out}]`;
}

/** `{…}` from the members written above (each starts with a comma). */
export function object(members: string): string {
  return `{${members.slice(1)}}`;
}

/**
 * The document as a plain object, for `JSON.stringify(entity)` (its `toJSON`): `keys` in order, undefined
 * values and an empty `subsegments` left out.
 */
export function documentFields(entity: object, keys: readonly string[]): Record<string, unknown> {
  const source = entity as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = source[key];
    if (value === undefined) continue;
    if (key === 'subsegments' && Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

/**
 * A document's keys in JSON order: `fixed` ones, then the optional ones in the order `order` recorded
 * (`late[code]` lists the keys one code stands for), then any optional one set without being recorded.
 */
export function documentKeys(
  fixed: readonly string[],
  late: readonly (readonly string[])[],
  order: number,
): string[] {
  const keys = [...fixed];
  const count = keyCount(order);
  let seen = 0;
  for (let i = 0; i < count; i++) {
    const code = keyAt(order, i);
    seen |= 1 << code;
    keys.push(...(late[code] ?? []));
  }
  for (let code = 0; code < late.length; code++) {
    if ((seen & (1 << code)) === 0) keys.push(...(late[code] ?? []));
  }
  return keys;
}
