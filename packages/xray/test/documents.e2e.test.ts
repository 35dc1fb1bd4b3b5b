import { type Local, startLocal } from '@sightline/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createXRay, resolveXRayConfig, type XRayBackend } from '../src/index';
import { type Doc, request, SAMPLE_ALL, segmentWithId, tick } from './helpers';

let local: Local;
let xray: XRayBackend;

beforeEach(async () => {
  local = await startLocal();
  const { config, problems } = resolveXRayConfig(
    { serviceName: 'backend-flask', samplingRules: SAMPLE_ALL },
    local.env,
  );
  expect(problems).toEqual([]);
  xray = createXRay(config);
});

afterEach(async () => {
  await xray.shutdown(1000);
  await local.close();
});

describe('request segments sent to the daemon', () => {
  it('sends one exact document with nested subsegments, typed annotations and namespaced metadata', async () => {
    const seg = xray.openRequestSegment(request('/api/activities/@andrewbrown?x=1'));
    await seg.run(async () => {
      await xray.subsegment('activities_users', async () => {
        await tick();
        xray.subsegment(
          'mock-data',
          () => {
            xray.addAnnotation('results_size', 1);
          },
          { metadata: { key: { now: '2026-11-27T19:45:00Z', 'results-size': 1 } }, namespace: 'namespace' },
        );
        xray.addAnnotation('handle', 'andrewbrown');
        xray.addAnnotation('cached', false);
      });
    });
    seg.close({ statusCode: 200, contentLength: 321 });

    const stored = await segmentWithId(local, seg.id);
    expect(local.rejections()).toEqual([]);
    expect(stored.kind).toBe('segment');
    const doc = stored.document as Doc;
    expect(doc.trace_id).toBe(seg.traceId);
    expect(doc.name).toBe('backend-flask');
    expect(doc.http).toEqual({
      request: {
        method: 'GET',
        url: 'http://127.0.0.1:4567/api/activities/@andrewbrown?x=1',
        client_ip: '127.0.0.1',
        user_agent: 'vitest',
      },
      response: { status: 200, content_length: 321 },
    });
    expect(doc.end_time).toBeGreaterThanOrEqual(doc.start_time);
    expect(doc).not.toHaveProperty('in_progress');
    expect(doc).not.toHaveProperty('error');
    expect(doc).not.toHaveProperty('fault');
    for (const internal of ['counter', 'notTraced', 'segment', 'parent', 'exception']) {
      expect(doc).not.toHaveProperty(internal);
    }
    expect(doc.subsegments).toHaveLength(1);
    const users = doc.subsegments[0];
    expect(users.name).toBe('activities_users');
    expect(users.annotations).toEqual({ handle: 'andrewbrown', cached: false });
    expect(users).not.toHaveProperty('notTraced');
    expect(users.subsegments).toHaveLength(1);
    const mock = users.subsegments[0];
    expect(mock.name).toBe('mock-data');
    expect(mock.metadata).toEqual({ namespace: { key: { now: '2026-11-27T19:45:00Z', 'results-size': 1 } } });
    expect(mock.annotations).toEqual({ results_size: 1 });
    expect(mock.start_time).toBeGreaterThanOrEqual(users.start_time);
    expect(mock.end_time).toBeLessThanOrEqual(users.end_time);
    expect(xray.stats()).toMatchObject({ sent: 1, pending: 0 });
  });

  it('names the segment after the Host when dynamic naming matches, after the service otherwise', async () => {
    const { config } = resolveXRayConfig(
      { samplingRules: SAMPLE_ALL },
      {
        ...local.env,
        AWS_XRAY_TRACING_NAME: 'backend-flask',
        AWS_XRAY_URL: '*4567-*.gitpod.io*',
      },
    );
    const named = createXRay(config);
    try {
      const matching = named.openRequestSegment(
        request('/api/health-check', { host: '4567-andrewbrown-cruddur-abc.ws-us90.gitpod.io' }),
      );
      matching.close({ statusCode: 200 });
      const other = named.openRequestSegment(request('/api/health-check', { host: 'example.com' }));
      other.close({ statusCode: 200 });
      expect((await segmentWithId(local, matching.id)).name).toBe(
        '4567-andrewbrown-cruddur-abc.ws-us90.gitpod.io',
      );
      expect((await segmentWithId(local, other.id)).name).toBe('backend-flask');
    } finally {
      await named.shutdown(1000);
    }
  });

  it('takes client_ip from X-Forwarded-For and redacts secrets in the URL, metadata and annotations', async () => {
    const seg = xray.openRequestSegment(
      request('/api/messages?access_token=abc123&term=x', { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' }),
    );
    seg.run(() => {
      xray.addMetadata('user', { handle: 'andrewbrown', password: 'hunter2' });
      xray.addAnnotation('note', 'Authorization: Bearer abc.def-ghi');
    });
    seg.close({ statusCode: 200 });
    const doc = (await segmentWithId(local, seg.id)).document as Doc;
    expect(doc.http.request.client_ip).toBe('203.0.113.9');
    expect(doc.http.request.x_forwarded_for).toBe(true);
    expect(doc.http.request.url).toBe(
      'http://127.0.0.1:4567/api/messages?access_token=%5BREDACTED%5D&term=x',
    );
    expect(doc.metadata).toEqual({ default: { user: { handle: 'andrewbrown', password: '[REDACTED]' } } });
    expect(doc.annotations.note).not.toContain('abc.def-ghi');
  });

  it('skips invalid annotations instead of sending a document the daemon refuses', async () => {
    const seg = xray.openRequestSegment(request('/'));
    seg.run(() => {
      xray.addAnnotation('bad key!', 'x');
      xray.addAnnotation('obj', { a: 1 } as unknown as string);
      xray.addAnnotation('ok_1', 2.5);
    });
    seg.close({ statusCode: 200 });
    const doc = (await segmentWithId(local, seg.id)).document as Doc;
    expect(doc.annotations).toEqual({ ok_1: 2.5 });
    expect(local.rejections()).toEqual([]);
  });
});

describe('errors, faults and throttles', () => {
  it('addError records a caught error on the current subsegment without throwing', async () => {
    const seg = xray.openRequestSegment(request('/api/activities/home'));
    seg.run(() =>
      xray.subsegment('activities_home', () => {
        xray.addError(new Error('retry budget exhausted'));
      }),
    );
    seg.close({ statusCode: 200 });
    const doc = (await segmentWithId(local, seg.id)).document as Doc;
    const sub = doc.subsegments[0];
    expect(sub.fault).toBe(true);
    expect(sub.cause.exceptions[0]).toMatchObject({ message: 'retry budget exhausted', type: 'Error' });
  });

  it('records a thrown error in the subsegment (re-thrown) and marks the segment fault with a 500', async () => {
    const seg = xray.openRequestSegment(request('/api/activities/home'));
    const boom = new Error('database is down');
    await expect(
      seg.run(() =>
        xray.subsegment('activities_home', async () => {
          await tick();
          throw boom;
        }),
      ),
    ).rejects.toBe(boom);
    seg.close({ statusCode: 500, error: boom });
    const doc = (await segmentWithId(local, seg.id)).document as Doc;
    expect(doc.fault).toBe(true);
    expect(doc.http.response.status).toBe(500);
    const sub = doc.subsegments[0];
    expect(sub.fault).toBe(true);
    expect(sub.cause.exceptions[0]).toMatchObject({ message: 'database is down', type: 'Error' });
    expect(sub.cause.exceptions[0].stack.length).toBeGreaterThan(0);
    expect(sub.cause.exceptions[0].stack[0]).toHaveProperty('path');
    // The same error reaching the segment points at the subsegment that recorded it (the SDK's reference form).
    expect(doc.cause).toEqual({ id: sub.id });
  });

  it('records the cause of an error first seen by the segment, with its stack', async () => {
    const seg = xray.openRequestSegment(request('/api/activities'));
    seg.addError(new TypeError('cannot read x'));
    seg.close({ statusCode: 500 });
    const doc = (await segmentWithId(local, seg.id)).document as Doc;
    expect(doc.fault).toBe(true);
    expect(doc.cause.working_directory).toBe(process.cwd());
    expect(doc.cause.exceptions[0]).toMatchObject({ message: 'cannot read x', type: 'TypeError' });
  });

  it('redacts credentials in recorded error messages', async () => {
    const seg = xray.openRequestSegment(request('/api/activities'));
    seg.close({ statusCode: 500, error: new Error('upstream said: Authorization: Bearer abcdef123456') });
    const doc = (await segmentWithId(local, seg.id)).document as Doc;
    expect(doc.cause.exceptions[0].message).toBe('upstream said: Authorization: [REDACTED]');
  });

  it('flags 4xx as error (not fault) and 429 as throttle', async () => {
    const unprocessable = xray.openRequestSegment(request('/api/activities'));
    unprocessable.close({ statusCode: 422, error: new Error('message_blank') });
    const throttled = xray.openRequestSegment(request('/api/activities'));
    throttled.close({ statusCode: 429 });
    const a = (await segmentWithId(local, unprocessable.id)).document;
    const b = (await segmentWithId(local, throttled.id)).document;
    expect(a).toMatchObject({ error: true });
    expect(a).not.toHaveProperty('fault');
    expect(b).toMatchObject({ error: true, throttle: true });
  });

  it('records sync errors and re-throws them; capture wraps handlers like the Python decorator', async () => {
    const seg = xray.openRequestSegment(request('/api/activities/1'));
    const show = xray.capture('activities_show', (uuid: string) => ({ uuid }));
    const result = seg.run(() => {
      expect(() =>
        xray.subsegment('sync', () => {
          throw new RangeError('bad');
        }),
      ).toThrow(RangeError);
      return show('68f126b0');
    });
    expect(result).toEqual({ uuid: '68f126b0' });
    seg.close({ statusCode: 200 });
    const doc = (await segmentWithId(local, seg.id)).document as Doc;
    expect(doc.subsegments.map((s: { name: string }) => s.name)).toEqual(['sync', 'activities_show']);
    expect(doc.subsegments[0].cause.exceptions[0].type).toBe('RangeError');
  });
});
