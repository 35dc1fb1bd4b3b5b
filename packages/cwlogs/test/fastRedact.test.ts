import { createRedactionPolicy, defaultRedactionPolicy, redactString, redactValue } from '@sightline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactFields, redactText } from '../src/fastRedact';

const keys = fc.constantFrom(
  'user',
  'password',
  'apiKey',
  'x_api_key',
  'token',
  'path',
  'status',
  'db_password',
  'note',
  'items',
);
const texts = fc.constantFrom(
  'plain text',
  'Authorization: Bearer abc.def-ghi',
  'key AKIAABCDEFGHIJKLMNOP here',
  'postgres://admin:hunter2@db:5432/x',
  'password=hunter2&x=1',
  'jwt eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl',
  'aws_secret_access_key = abcdefghijabcdefghijabcdefghijabcdefghij',
  'x'.repeat(9_000),
);
const values = fc.oneof(
  texts,
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(Number.NaN),
  fc.array(texts, { maxLength: 3 }),
  fc.record({ password: texts, note: texts }),
  // a nested flat object (an access log's `http` fields) with every kind of scalar
  fc.record({
    status: fc.oneof(fc.integer(), fc.constant(Number.NaN), fc.constant(null)),
    path: texts,
    token: fc.oneof(fc.boolean(), fc.integer(), fc.constant(null), fc.constant(undefined)),
    nested: fc.option(fc.record({ password: texts }), { nil: undefined }),
  }),
);

describe('fast redaction', () => {
  it('gives the same result as core redactValue / redactString for any flat fields', () => {
    const policies = [
      defaultRedactionPolicy,
      createRedactionPolicy({ fieldNames: ['note'], patterns: [/case/] }),
    ];
    fc.assert(
      fc.property(fc.dictionary(keys, values), fc.constantFrom(0, 1), (fields, p) => {
        const policy = policies[p]!;
        expect(redactFields(fields, policy)).toEqual(redactValue(fields, policy));
        for (const v of Object.values(fields))
          if (typeof v === 'string') expect(redactText(v, policy)).toBe(redactString(v, policy));
      }),
      { numRuns: 300 },
    );
  });
});
