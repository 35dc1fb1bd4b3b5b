import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorWithFrames, expectSameDocuments, PARENT_ID } from './reference/play';

/**
 * Our XRaySegment / XRaySubsegment against the documents aws-xray-sdk-core's classes produced (the
 * reference in ./reference, the package's code before it had its own classes): each script runs once on
 * each, and every datagram must be the same string. entityData (validation, redaction) is shared.
 */

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('documents match the aws-xray-sdk-core classes byte for byte', () => {
  it('a plain request: ids, parent, http request and response', async () => {
    const ours = await expectSameDocuments((side) => {
      side.close({ statusCode: 200, contentLength: 321 });
    });
    expect(ours.sent).toHaveLength(1);
    expect(ours.sent[0]).toContain(`"parent_id":"${PARENT_ID}"`);
  });

  it('nested subsegments, annotations set before and after the children', async () => {
    await expectSameDocuments(async (side, segment) => {
      side.annotate(segment, 'handle', 'andrewbrown');
      const users = side.subsegment(segment, 'activities_users');
      const mock = side.subsegment(users, 'mock-data', {
        metadata: { key: { now: '2026-11-27T19:45:00Z', 'results-size': 1 } },
        namespace: 'namespace',
      });
      side.annotate(mock, 'results_size', 1);
      await side.end(mock);
      side.annotate(users, 'cached', false);
      const sibling = side.subsegment(users, 'sibling', { annotations: { first: true } });
      await side.end(sibling);
      // Names JSON must escape: quote, backslash, newline, a lone surrogate; and an emoji pair.
      const odd = side.subsegment(users, 'say "hi"\\ there\n\ud800 \u{1f600}');
      await side.end(odd);
      await side.end(users);
      side.metadata(segment, 'request', { path: '/api' }, 'cruddur');
      side.close({ statusCode: 200 });
    });
  });

  it('an error thrown through nested subsegments to a 500: stacks, the reference cause, redaction', async () => {
    const boom = new Error('upstream said: Authorization: Bearer abcdef123456');
    const first = new TypeError('cannot read x');
    await expectSameDocuments(async (side, segment) => {
      const outer = side.subsegment(segment, 'activities_home');
      const inner = side.subsegment(outer, 'db');
      side.addError(inner, first);
      await side.end(inner, boom);
      await side.end(outer, boom);
      side.close({ statusCode: 500, error: boom });
    });
  });

  it('errors on the segment: before subsegments, strings, a second error, 4xx, 429, 5xx without one', async () => {
    const early = new RangeError('early');
    const blank = new Error('message_blank');
    await expectSameDocuments(async (side, segment) => {
      side.addError(segment, early);
      const sub = side.subsegment(segment, 'after');
      await side.end(sub, 'a string thrown');
      side.addError(segment, 'handled');
      side.close({ statusCode: 422, error: blank });
    });
    await expectSameDocuments((side) => side.close({ statusCode: 429, error: 'slow down' }));
    await expectSameDocuments((side) => side.close({ statusCode: 503 }));
    // A segment whose cause is the reference form: a later, different error only sets fault.
    const shared = new Error('shared');
    const other = new Error('other');
    await expectSameDocuments(async (side, segment) => {
      const sub = side.subsegment(segment, 'work');
      await side.end(sub, shared);
      side.addError(segment, shared);
      side.close({ statusCode: 500, error: other });
    });
  });

  it('annotations and metadata: types, invalid ones skipped, redaction, null values, reserved namespaces', async () => {
    await expectSameDocuments(async (side, segment) => {
      side.annotate(segment, 'n', 3.5);
      side.annotate(segment, 'bad key!', 'x');
      side.annotate(segment, 'obj', { a: 1 });
      side.annotate(segment, 'password', 'hunter2');
      side.annotate(segment, 'long', 'y'.repeat(1200));
      side.metadata(segment, 'nothing', null);
      side.metadata(segment, 'reserved', 1, 'AWS.internal');
      side.metadata(segment, 'secrets', { token: 'abc', nested: { é: '\u2028', list: [1, 'two', null] } });
      const sub = side.subsegment(segment, 'sub', {
        annotations: { a: 'b', c: Number.NaN },
        metadata: { m: 1n, d: new Date(0) },
      });
      side.metadata(sub, 'late', 'x', 'other');
      await side.end(sub);
      side.close({ statusCode: 200 });
    });
  });

  it('the matched sampling rule in aws.xray', async () => {
    const ours = await expectSameDocuments((side) => side.close({ statusCode: 200 }), { rule: 'Cruddur' });
    expect(ours.sent[0]).toContain('"rule_name":"Cruddur"');
  });

  it('subsegments still open when the request ends: sent when the last closes, or at shutdown', async () => {
    const later = await expectSameDocuments(async (side, segment) => {
      const background = side.subsegment(segment, 'background');
      side.close({ statusCode: 200 });
      await side.end(background);
    });
    expect(later.sent).toHaveLength(1);
    const atShutdown = await expectSameDocuments(async (side, segment) => {
      const background = side.subsegment(segment, 'background');
      side.close({ statusCode: 200 });
      await side.shutdown();
      // The complete document follows as an update.
      await side.end(background);
    });
    expect(atShutdown.sent[0]).toContain('"in_progress":true');
    expect(atShutdown.sent).toHaveLength(2);
    // Work started after the response adds subsegments to a segment already sent (after end_time).
    await expectSameDocuments(async (side, segment) => {
      side.close({ statusCode: 200 });
      const late = side.subsegment(segment, 'late');
      side.annotate(late, 'k', 'v');
      await side.end(late);
    });
  });

  it('more than 100 open subsegments: closed ones are streamed as their own documents', async () => {
    const flat = await expectSameDocuments(async (side, segment) => {
      const subs = Array.from({ length: 105 }, (_, i) => side.subsegment(segment, `query-${i}`));
      for (const sub of subs.slice(0, 20)) await side.end(sub);
      side.close({ statusCode: 200 });
      for (const sub of subs.slice(20)) await side.end(sub);
    });
    expect(flat.sent.filter((d) => d.includes('"type":"subsegment"')).length).toBeGreaterThan(0);
    // Nested: crossing the threshold while adding streams the closed children of an open parent.
    const nested = await expectSameDocuments(async (side, segment) => {
      const batch = side.subsegment(segment, 'batch');
      const early = Array.from({ length: 5 }, (_, i) => side.subsegment(batch, `early-${i}`));
      for (const sub of early.slice(0, 3)) await side.end(sub);
      const more = Array.from({ length: 100 }, (_, i) => side.subsegment(batch, `item-${i}`));
      for (const sub of [...early.slice(3), ...more]) await side.end(sub);
      await side.end(batch);
      side.close({ statusCode: 200 });
    });
    expect(nested.sent.filter((d) => d.includes('"name":"early-0"')).length).toBe(1);
  });

  it('an oversize document split into subsegment documents, metadata and stacks cut, one dropped', async () => {
    const deep = errorWithFrames('deep', 120);
    const ours = await expectSameDocuments(
      async (side, segment) => {
        for (let i = 0; i < 3; i++) {
          const sub = side.subsegment(segment, `part-${i}`, { metadata: { blob: 'x'.repeat(400) } });
          await side.end(sub);
        }
        const big = side.subsegment(segment, 'big-metadata', { metadata: { blob: 'z'.repeat(5000) } });
        await side.end(big);
        const stack = side.subsegment(segment, 'deep-stack');
        await side.end(stack, deep);
        const annotated = side.subsegment(segment, 'too-many-annotations', {
          annotations: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`a${i}`, 'q'.repeat(1000)])),
        });
        await side.end(annotated);
        // Still open when the segment is sent at shutdown: split out in progress, ended afterwards.
        side.subsegment(segment, 'open-child', { metadata: { blob: 'o'.repeat(600) } });
        side.close({ statusCode: 500, error: deep });
        await side.shutdown();
      },
      { maxDatagramBytes: 2048 },
    );
    expect(ours.drops).toContain('too_large');
    expect(ours.sent.some((d) => d.includes('sightline') && d.includes('truncated'))).toBe(true);
  });
});
