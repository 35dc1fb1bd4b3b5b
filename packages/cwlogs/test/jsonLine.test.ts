import {
  createRedactionPolicy,
  defaultRedactionPolicy,
  type RedactionPolicy,
  redactValue,
} from '@sightline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindingsJson, fastLine, type LineParts, objectLine } from '../src/jsonLine';
import { createLogger } from '../src/logger';

const keys = fc.oneof(
  { arbitrary: fc.constantFrom('path', 'status', 'i', 'user', 'method', 'duration_ms'), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      'timestamp',
      'level',
      'message',
      'service',
      'field_timestamp',
      'field_level',
      'field_message',
      'field_service',
      'password',
      'apiKey',
      'token',
      'path',
      'status',
      'i',
      'trace_id',
      '__proto__',
      '0',
      '12',
      '3x',
      '…',
      'é',
      'a"b\\c',
      'line\nbreak',
      '',
    ),
    weight: 2,
  },
  { arbitrary: fc.string({ maxLength: 4 }), weight: 1 },
);
const texts = fc.oneof(
  fc.constantFrom(
    'request handled',
    'Authorization: Bearer abc.def-ghi',
    'key AKIAABCDEFGHIJKLMNOP here',
    'postgres://admin:hunter2@db:5432/x',
    'quote " backslash \\ tab \t nul \u0000 lone \ud800 emoji 😀',
    'x'.repeat(9_000),
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const scalars = fc.oneof(
  texts,
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e21, 5e-7),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

/** An object with exactly these own keys, `__proto__` included (as JSON.parse would make it). */
function objectOf(
  entries: [string, unknown][],
  proto: object | null = Object.prototype,
): Record<string, unknown> {
  const o = Object.create(proto) as Record<string, unknown>;
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
const flatObjects = fc
  .tuple(fc.array(fc.tuple(keys, scalars), { maxLength: 5 }), fc.boolean())
  .map(([entries, nullProto]) => objectOf(entries, nullProto ? null : Object.prototype));
const unusual = fc.constantFrom<() => unknown>(
  () => new Error('boom'),
  () => new Date(Date.UTC(2026, 0, 1)),
  () => 10n ** 20n,
  () => new Map([['k', 1]]),
  () => Buffer.from('hi'),
  () => [1, 'two', { three: 3 }],
  () => ({ deep: { deeper: { deepest: 1 } } }),
  () => Symbol('s'),
  () => function named() {},
  () => {
    const c: Record<string, unknown> = { name: 'loop' };
    c.self = c;
    return c;
  },
  () =>
    Object.defineProperty({}, 'bad', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    }),
);
const values = fc.oneof(
  { arbitrary: scalars, weight: 20 },
  { arbitrary: flatObjects, weight: 4 },
  { arbitrary: unusual.map((make) => make()), weight: 1 },
);
const records = (v: fc.Arbitrary<unknown>) =>
  fc.array(fc.tuple(keys, v), { maxLength: 6 }).map((entries) => objectOf(entries));

const policies: RedactionPolicy[] = [
  defaultRedactionPolicy,
  createRedactionPolicy({ maxEntries: 3, replacement: '"masked"' }),
  createRedactionPolicy({ maxDepth: 0, maxStringLength: 10 }),
];

const parts = fc.record({
  level: fc.constantFrom('debug', 'info', 'warn', 'error'),
  message: texts,
  service: fc.option(texts, { nil: undefined }),
  // The context hook's fields are not redacted: scalars, or anything at all.
  context: fc.option(fc.oneof(records(scalars), records(values)), { nil: undefined }),
  bindings: fc.option(records(values), { nil: undefined }),
  fields: fc.option(records(values), { nil: undefined }),
  policy: fc.constantFrom(...policies),
});

describe('JSON line writer', () => {
  it('writes exactly the string the object path writes, for any fields it accepts', () => {
    let fast = 0;
    let total = 0;
    fc.assert(
      fc.property(parts, (p) => {
        // As the logger does: bindings are redacted once, at child() time.
        const bindings = p.bindings && (redactValue(p.bindings, p.policy) as Record<string, unknown>);
        const line: LineParts = {
          iso: '2026-11-27T12:00:00.000Z',
          level: p.level,
          message: p.message,
          service: p.service,
          context: p.context,
          bindings,
          fields: p.fields,
        };
        let expected: string | Error;
        try {
          expected = objectLine(line, p.policy);
        } catch (error) {
          expected = error as Error;
        }
        let actual: string | undefined | Error;
        try {
          actual = fastLine(line, bindingsJson(bindings), p.policy);
        } catch (error) {
          actual = error as Error;
        }
        total++;
        if (actual === undefined) return;
        fast++;
        // Both throw (a getter in the context hook's fields), or both write the same bytes.
        if (expected instanceof Error) expect(actual).toBeInstanceOf(Error);
        else expect(actual).toBe(expected);
      }),
      { numRuns: 3_000 },
    );
    // Not vacuous: a good share of the random lines took the fast path.
    expect(fast / total).toBeGreaterThan(0.15);
  });

  it('takes the fast path for the usual shapes: flat fields, a nested flat object, context and bindings', () => {
    const line: LineParts = {
      iso: '2026-11-27T12:00:00.000Z',
      level: 'info',
      message: 'request handled',
      service: 'backend-flask',
      context: { trace_id: '5f3c0000000000000000000000000001' },
      bindings: { component: 'home' },
      fields: {
        i: 1,
        path: '/api/activities/home',
        status: 200,
        ok: true,
        password: 'x',
        http: { method: 'GET' },
      },
    };
    const fast = fastLine(line, bindingsJson(line.bindings), defaultRedactionPolicy);
    expect(fast).toBe(objectLine(line, defaultRedactionPolicy));
    expect(fast).toContain('"password":"[REDACTED]"');
  });

  it('leaves repeated keys, index-like keys, Errors and the entry limit to the object path', () => {
    const base: LineParts = {
      iso: '2026-11-27T12:00:00.000Z',
      level: 'info',
      message: 'm',
      service: undefined,
      context: undefined,
      bindings: undefined,
      fields: undefined,
    };
    const policy = createRedactionPolicy({ maxEntries: 2 });
    const cases: Partial<LineParts>[] = [
      { context: { a: 1 }, fields: { a: 2 } },
      { bindings: { a: 1 }, fields: { a: 2 } },
      { fields: { level: 'x', field_level: 'y' } },
      { fields: { 7: 'seven' } },
      { fields: { err: new Error('e') } },
      { fields: { a: 1, b: 2, c: 3 } },
      // A nested own `__proto__` (only JSON.parse makes one): a redacted copy drops it, so the writer
      // leaves the line to the object path rather than write it.
      { fields: { http: JSON.parse('{"__proto__":"x","a":1}') } },
    ];
    for (const c of cases) {
      const line = { ...base, ...c };
      expect(fastLine(line, bindingsJson(line.bindings), policy)).toBeUndefined();
    }
  });

  it('gives the logger the same line either way', () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: (r) => lines.push(r.line), contextFields: () => ({ a: 1 }) });
    logger.child({ level: 'child' }).info('m', { a: 2, field_level: 'mine', b: Number.NaN });
    expect(JSON.parse(lines[0]!)).toMatchObject({ a: 2, field_level: 'mine', b: 'NaN', level: 'info' });
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual([
      'timestamp',
      'level',
      'message',
      'a',
      'field_level',
      'b',
    ]);
  });
});
