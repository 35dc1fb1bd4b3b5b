/**
 * The order in which a document's optional keys were first set. JSON.stringify wrote the SDK's objects
 * with their properties in insertion order (an annotation added before or after the first subsegment
 * moved `annotations`), so our documents keep that order to stay byte-identical. Up to 8 keys, each a
 * 3-bit code in the order set, the count in bits 24-27: a small integer, no allocation.
 */

const COUNT_SHIFT = 24;
const CODES_MASK = 0xffffff;

export function keyCount(order: number): number {
  return order >>> COUNT_SHIFT;
}

/** The code of the `index`th key set. */
export function keyAt(order: number, index: number): number {
  return (order >>> (3 * index)) & 7;
}

/** `code` appended, unless it is already there (setting an existing key keeps its place). */
export function placeKey(order: number, code: number): number {
  const count = order >>> COUNT_SHIFT;
  for (let i = 0; i < count; i++) if (((order >>> (3 * i)) & 7) === code) return order;
  return ((count + 1) << COUNT_SHIFT) | (order & CODES_MASK) | (code << (3 * count));
}

/** `code` removed (a deleted key goes to the end when it is set again). */
export function removeKey(order: number, code: number): number {
  const count = order >>> COUNT_SHIFT;
  let codes = 0;
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const c = (order >>> (3 * i)) & 7;
    if (c === code) continue;
    codes |= c << (3 * kept);
    kept++;
  }
  return (kept << COUNT_SHIFT) | codes;
}

/** What writes one optional key's JSON member (empty when the key has no value). */
export interface LateMembers {
  lateMember(code: number): string;
}

/**
 * The JSON members of a document's optional keys: first those recorded in `order`, as they were set,
 * then those of the `total` codes never recorded (assigned directly rather than through the methods).
 */
export function lateMembersJson(entity: LateMembers, order: number, total: number): string {
  let out = '';
  const count = keyCount(order);
  let seen = 0;
  for (let i = 0; i < count; i++) {
    const code = keyAt(order, i);
    seen |= 1 << code;
    out += entity.lateMember(code);
  }
  if (seen !== (1 << total) - 1) {
    for (let code = 0; code < total; code++) {
      if ((seen & (1 << code)) === 0) out += entity.lateMember(code);
    }
  }
  return out;
}
