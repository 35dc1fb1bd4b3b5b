import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createRedactionPolicy,
  defaultRedactionPolicy,
  isSensitiveField,
  maskSecret,
  redactHeaders,
  redactString,
  redactUrl,
  redactValue,
} from '../src/index';

const R = '[REDACTED]';

describe('redactHeaders', () => {
  it('masks credential headers whatever their case and keeps the rest', () => {
    const out = redactHeaders({
      Authorization: 'Bearer abc.def',
      cookie: 'sid=1',
      'X-Honeycomb-Team': 'hcaik_1234567890',
      'x-rollbar-access-token': 'tok',
      'content-type': 'application/json',
      'set-cookie': ['a=1', 'b=2'],
      'x-count': 3,
      absent: undefined,
    });
    expect(out).toEqual({
      Authorization: R,
      cookie: R,
      'X-Honeycomb-Team': R,
      'x-rollbar-access-token': R,
      'content-type': 'application/json',
      'set-cookie': R,
      'x-count': '3',
    });
  });

  it('masks headers named like sensitive fields and bearer tokens inside other headers', () => {
    const out = redactHeaders({ 'x-session-token': 'abc', 'x-forwarded-auth': 'Bearer zzz' });
    expect(out['x-session-token']).toBe(R);
    expect(out['x-forwarded-auth']).toBe(R);
  });

  it('honours user-added header names', () => {
    const policy = createRedactionPolicy({ headerNames: ['X-Internal-Key'] });
    expect(redactHeaders({ 'x-internal-key': 'k' }, policy)['x-internal-key']).toBe(R);
  });
});

describe('redactValue', () => {
  it('masks sensitive fields at any depth, by suffix, whatever the separator', () => {
    const out = redactValue({
      user: { name: 'andrew', password: 'p', dbPassword: 'q', api_key: 'k', 'Access-Token': 't' },
      list: [{ secret: 's', ok: 1 }],
      aws_secret_access_key: 'x',
    });
    expect(out).toEqual({
      user: { name: 'andrew', password: R, dbPassword: R, api_key: R, 'Access-Token': R },
      list: [{ secret: R, ok: 1 }],
      aws_secret_access_key: R,
    });
  });

  it('handles cycles, depth, and odd values without throwing', () => {
    const a: Record<string, unknown> = {
      n: 1n,
      d: new Date(0),
      f: function named() {},
      s: Symbol('x'),
      u: undefined,
    };
    a.self = a;
    a.map = new Map([['k', { token: 'x' }]]);
    a.set = new Set([1, 2]);
    a.buf = Buffer.from('hello');
    a.nan = Number.NaN;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20; i++) {
      deep.next = {};
      deep = deep.next as Record<string, unknown>;
    }
    a.deep = root;
    const out = redactValue(a) as Record<string, unknown>;
    expect(out.n).toBe('1');
    expect(out.d).toBe('1970-01-01T00:00:00.000Z');
    expect(out.f).toBe('[Function named]');
    expect(out.s).toBe('Symbol(x)');
    expect(out.self).toBe('[Circular]');
    expect(out.map).toEqual({ k: { token: R } });
    expect(out.set).toEqual([1, 2]);
    expect(out.buf).toBe('[Buffer 5 bytes]');
    expect(out.nan).toBe('NaN');
    expect(JSON.stringify(out)).toContain('[MaxDepth]');
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  it('keeps a repeated (non-circular) reference in both places', () => {
    const shared = { x: 1 };
    expect(redactValue({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('serializes errors with message, stack and cause, scrubbed', () => {
    const err = new Error('failed with Bearer abcdef', { cause: new Error('inner') });
    (err as Error & { token?: string }).token = 'leak';
    const out = redactValue(err) as Record<string, unknown>;
    expect(out.name).toBe('Error');
    expect(out.message).toBe(`failed with ${R}`);
    expect(out.token).toBe(R);
    expect((out.cause as Record<string, unknown>).message).toBe('inner');
    expect(String(out.stack)).not.toContain('abcdef');
  });

  it('cuts long strings and large collections', () => {
    const policy = createRedactionPolicy({ maxStringLength: 10, maxEntries: 3 });
    expect(redactValue('x'.repeat(25), policy)).toBe(`${'x'.repeat(10)}…[truncated 15 chars]`);
    expect(redactValue([1, 2, 3, 4, 5], policy)).toEqual([1, 2, 3, '[2 more items]']);
    expect(Object.keys(redactValue({ a: 1, b: 2, c: 3, d: 4 }, policy) as object)).toHaveLength(4);
  });

  it('never leaves a sensitive field value in the output (property)', () => {
    const secret = 'S3CR3T-VALUE';
    const keyArb = fc.constantFrom(
      'name',
      'password',
      'apiKey',
      'value',
      'client_secret',
      'items',
      'refresh-token',
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.dictionary(keyArb, tie('node'), { maxKeys: 4 }),
        fc.array(tie('node'), { maxLength: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const plant = (v: unknown): unknown => {
          if (Array.isArray(v)) return v.map(plant);
          if (v && typeof v === 'object') {
            return Object.fromEntries(
              Object.entries(v).map(([k, x]) => [k, isSensitiveField(k) ? secret : plant(x)]),
            );
          }
          return v;
        };
        const planted = plant(value);
        expect(JSON.stringify(redactValue(planted)) ?? '').not.toContain(secret);
      }),
    );
  });
});

describe('redactString and redactUrl', () => {
  it('masks bearer tokens, AWS keys, JWTs and URL credentials in text', () => {
    const text =
      'auth Bearer abc.def-123 key AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY jwt eyJhbGciOi.eyJzdWIiOiIx.SflKxwRJSM url https://user:hunter2@example.com/x';
    const out = redactString(text);
    expect(out).not.toMatch(/abc\.def|AKIAIOSFODNN7EXAMPLE|wJalrXUt|eyJhbGciOi|hunter2/);
    expect(out).toContain(`aws_secret_access_key=${R}`);
    expect(out).toContain('https://user:[REDACTED]@example.com/x');
  });

  it('masks key=value secrets written in free text', () => {
    expect(redactString('login failed with password=hunter2 for andrew')).toBe(
      `login failed with password=${R} for andrew`,
    );
    expect(redactString('api_key: abc123, user: bob')).toBe(`api_key: ${R}, user: bob`);
    expect(redactString('tokenizer=fine')).toBe('tokenizer=fine');
  });

  it('masks sensitive query parameters and keeps others', () => {
    expect(redactUrl('/api/search?term=x&token=abc&api_key=k#frag')).toBe(
      '/api/search?term=x&token=%5BREDACTED%5D&api_key=%5BREDACTED%5D',
    );
    expect(redactUrl('/plain')).toBe('/plain');
  });

  it('applies user patterns too', () => {
    const policy = createRedactionPolicy({ patterns: [/card-\d{4}/] });
    expect(redactString('paid with card-1234', policy)).toBe(`paid with ${R}`);
    expect(redactString('paid with card-1234')).toBe('paid with card-1234');
    expect(defaultRedactionPolicy.replacement).toBe(R);
  });
});

describe('maskSecret', () => {
  it('keeps the last 4 characters only for long secrets', () => {
    expect(maskSecret('hcaik_01234567890abcdef')).toBe('****cdef');
    expect(maskSecret('short-secret')).toBe('****');
    expect(maskSecret(undefined)).toBe('(unset)');
  });
});
