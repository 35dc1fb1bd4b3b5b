import { createRedactionPolicy, defaultRedactionPolicy, redactString } from '@sightline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactText, redactTextUncached } from '../src/fastRedact';
import { createLogger } from '../src/logger';
import { RepeatCache } from '../src/repeatCache';

describe('RepeatCache', () => {
  it('keeps a value only when its key is offered a second time', () => {
    const cache = new RepeatCache(10);
    expect(cache.offer('a', 'A')).toBe('A');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.offer('a', 'A')).toBe('A');
    expect(cache.get('a')).toBe('A');
    expect(cache.size).toBe(1);
  });

  it('never holds more than its maximum, and forgets keys seen once when its waiting set fills', () => {
    const cache = new RepeatCache(3, 4);
    for (const k of ['a', 'b', 'c', 'd']) cache.offer(k, k.toUpperCase());
    // The waiting set is full: the next new key clears it, so 'a' starts over.
    cache.offer('e', 'E');
    cache.offer('a', 'A');
    expect(cache.get('a')).toBeUndefined();
    for (const k of ['w', 'x', 'y', 'z']) {
      cache.offer(k, k);
      cache.offer(k, k);
    }
    expect(cache.size).toBeLessThanOrEqual(3);
    expect(cache.get('z')).toBe('z');
  });

  it('one-off values (ids) never enter the cache', () => {
    const cache = new RepeatCache(10_000, 64);
    for (let i = 0; i < 5_000; i++) cache.offer(`id-${i}`, `"id-${i}"`);
    expect(cache.size).toBe(0);
  });
});

describe('redaction through the caches', () => {
  const policies = [defaultRedactionPolicy, createRedactionPolicy({ patterns: [/case/] })];
  const strings = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      'Bearer abc.def',
      'postgres://u:hunter2@db/x',
      'token=x1',
      'AKIAABCDEFGHIJKLMNOP',
      'case',
    ),
  );

  it('gives core redactString’s result for a value seen once, twice or many times', () => {
    fc.assert(
      fc.property(fc.array(strings, { maxLength: 30 }), fc.constantFrom(0, 1), (values, p) => {
        const policy = policies[p]!;
        for (const v of [...values, ...values, ...values]) {
          expect(redactText(v, policy)).toBe(redactString(v, policy));
          expect(redactTextUncached(v, policy)).toBe(redactString(v, policy));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('writes the same line for a field value the first time and once it is cached', () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: (r) => lines.push(r.line), console: false });
    const fields = { request_id: 'a1b2c3', token: 'secret-value', note: 'token=hunter2', path: '/x' };
    for (let i = 0; i < 3; i++) logger.info('request', fields);
    const bodies = lines.map((l) => {
      const { timestamp: _t, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return rest;
    });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({ request_id: 'a1b2c3', path: '/x' });
    expect(JSON.stringify(bodies[0])).not.toContain('hunter2');
    expect(JSON.stringify(bodies[0])).not.toContain('secret-value');
  });
});
