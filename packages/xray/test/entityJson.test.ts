import { defaultRedactionPolicy } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { type DocumentWriter, entityJson, newSegment, newSubsegment } from '../src/documents';
import { addAnnotationTo, addErrorTo, addMetadataTo } from '../src/entityData';

const policy = defaultRedactionPolicy;
// Only flush() reaches the writer, and these entities are never closed.
const writer = {} as DocumentWriter;

function tree() {
  const segment = newSegment(
    writer,
    'backend-flask',
    '1-6b09dea6-321888c428b0b1135580fd1a',
    'a1b2c3d4e5f60718',
  );
  (segment as unknown as { http: unknown }).http = {
    request: { method: 'GET', url: 'http://x/api/a?b="c"', client_ip: '127.0.0.1' },
    response: { status: 500, content_length: 12 },
  };
  addAnnotationTo(segment, 'handle', 'andrew "brown"', policy);
  addAnnotationTo(segment, 'cached', false, policy);
  const outer = newSubsegment(segment, 'activities_users');
  const inner = newSubsegment(outer, 'mock-data');
  addMetadataTo(
    inner,
    'key',
    { now: '2026-11-27T19:45:00Z', list: [1, 'two', null], nested: { é: '\u2028' } },
    'namespace',
    policy,
  );
  addErrorTo(inner, new TypeError('boom\nline two'), policy);
  newSubsegment(segment, 'empty-sibling');
  (segment as unknown as { fault: boolean }).fault = true;
  return { segment, outer, inner };
}

describe('entityJson', () => {
  it('writes exactly what JSON.stringify writes through toJSON, for a segment and for each subsegment', () => {
    const { segment, outer, inner } = tree();
    for (const entity of [segment, outer, inner]) {
      const fast = entityJson(entity);
      expect(fast).toBe(JSON.stringify(entity));
      // Nothing of the SDK's bookkeeping, and the nesting kept.
      const doc = JSON.parse(fast) as Record<string, unknown>;
      expect(doc).not.toHaveProperty('counter');
      expect(doc).not.toHaveProperty('parent');
      expect(doc).not.toHaveProperty('segment');
    }
    const doc = JSON.parse(entityJson(segment)) as {
      subsegments: { name: string; subsegments?: { name: string }[] }[];
    };
    expect(doc.subsegments.map((s) => s.name)).toEqual(['activities_users', 'empty-sibling']);
    expect(doc.subsegments[0]?.subsegments?.[0]?.name).toBe('mock-data');
  });
});
