import { otelToXRayTraceId } from '@sightline/core';
import { type Local, startLocal } from '@sightline/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createXRay, MAX_DATAGRAM_BYTES, resolveXRayConfig, type XRayBackend } from '../src/index';
import { CRUDDUR_RULE, type Doc, request, SAMPLE_ALL, seededRandom, segmentWithId, tick } from './helpers';

let local: Local;
let xray: XRayBackend;

beforeEach(async () => {
  local = await startLocal();
  const { config } = resolveXRayConfig(
    { serviceName: 'backend-flask', samplingRules: SAMPLE_ALL },
    local.env,
  );
  xray = createXRay(config);
});

afterEach(async () => {
  await xray.shutdown(1000);
  await local.close();
});

describe('trace continuation and shared ids', () => {
  it('continues the caller trace from X-Amzn-Trace-Id and answers with the trace header', async () => {
    const root = '1-6b09dea6-321888c428b0b1135580fd1a';
    const seg = xray.openRequestSegment(
      request('/api/activities/home', {
        'x-amzn-trace-id': `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1`,
      }),
    );
    expect(seg.traceId).toBe(root);
    expect(seg.traceHeader).toBe(`Root=${root};Sampled=1`);
    seg.close({ statusCode: 200 });
    const stored = await segmentWithId(local, seg.id);
    expect(stored.traceId).toBe(root);
    expect(stored.parentId).toBe('53995c3f42cd8ad8');
  });

  it('honours Sampled=0 from the caller: nothing is sent, the header says so', async () => {
    const root = '1-6b09dea6-321888c428b0b1135580fd1b';
    const seg = xray.openRequestSegment(request('/', { 'x-amzn-trace-id': `Root=${root};Sampled=0` }));
    expect(seg.sampled).toBe(false);
    expect(seg.traceHeader).toBe(`Root=${root};Sampled=0`);
    const ids = seg.run(() => xray.subsegment('work', () => xray.currentTraceIds()));
    expect(ids).toMatchObject({ xrayTraceId: root, segmentId: seg.id, sampled: false });
    seg.close({ statusCode: 200 });
    // A sampled marker request afterwards arrives; the unsampled one never does.
    const marker = xray.openRequestSegment(request('/marker'));
    marker.close({ statusCode: 200 });
    await segmentWithId(local, marker.id);
    expect(local.segments({ traceId: root })).toEqual([]);
    expect(xray.stats().dropped.not_sampled).toBe(1);
  });

  it('uses the OpenTelemetry trace id (X-Ray form) and the server span id when given', async () => {
    const otelTraceId = '6b09dea6321888c428b0b1135580fd1c';
    const spanId = '00f067aa0ba902b7';
    const seg = xray.openRequestSegment(request('/api/health-check'), {
      traceId: otelToXRayTraceId(otelTraceId),
      id: spanId,
      sampled: true,
    });
    expect(seg.id).toBe(spanId);
    expect(seg.traceId).toBe('1-6b09dea6-321888c428b0b1135580fd1c');
    seg.close({ statusCode: 200 });
    const stored = await segmentWithId(local, spanId);
    expect(stored.traceId).toBe('1-6b09dea6-321888c428b0b1135580fd1c');
  });

  it('makes its own segment id when the one given is not a valid span id', async () => {
    const seg = xray.openRequestSegment(request('/api/health-check'), {
      traceId: '1-6b09dea6-321888c428b0b1135580fd1e',
      id: 'not-a-span-id',
      sampled: true,
    });
    expect(seg.id).toMatch(/^[0-9a-f]{16}$/);
    seg.close({ statusCode: 200 });
    expect((await segmentWithId(local, seg.id)).traceId).toBe('1-6b09dea6-321888c428b0b1135580fd1e');
  });

  it('honours the caller Sampled=0 when tracing passes the same trace id without a decision', async () => {
    const root = '1-6b09dea6-321888c428b0b1135580fd1d';
    const seg = xray.openRequestSegment(request('/', { 'x-amzn-trace-id': `Root=${root};Sampled=0` }), {
      traceId: root,
      id: '00f067aa0ba902b8',
    });
    expect(seg.sampled).toBe(false);
    expect(seg.id).toBe('00f067aa0ba902b8');
  });
});

describe('200 concurrent requests', () => {
  it('never mixes up segments, subsegments or annotations across interleaved awaits', async () => {
    const segments = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const seg = xray.openRequestSegment(request(`/api/messages/@user${i}`));
        await seg.run(async () => {
          await tick();
          await xray.subsegment(`outer-${i}`, async () => {
            xray.addAnnotation('request', i);
            await tick();
            await Promise.all([
              xray.subsegment(`a-${i}`, async () => {
                await tick();
                xray.addMetadata('i', i);
              }),
              xray.subsegment(`b-${i}`, async () => {
                await new Promise((resolve) => setTimeout(resolve, i % 5));
                expect(xray.currentTraceIds()?.segmentId).toBe(seg.id);
              }),
            ]);
          });
        });
        seg.close({ statusCode: 200 });
        return { seg, i };
      }),
    );
    await local.waitFor(() => local.segments().length >= 200);
    expect(local.segments()).toHaveLength(200);
    for (const { seg, i } of segments) {
      const doc = local.segments().find((s) => s.id === seg.id)!.document as Doc;
      expect(doc.http.request.url).toContain(`/@user${i}`);
      expect(doc.subsegments).toHaveLength(1);
      const outer = doc.subsegments[0];
      expect(outer.name).toBe(`outer-${i}`);
      expect(outer.annotations).toEqual({ request: i });
      expect(outer.subsegments.map((s: { name: string }) => s.name).sort()).toEqual([`a-${i}`, `b-${i}`]);
      const a = outer.subsegments.find((s: { name: string }) => s.name === `a-${i}`);
      expect(a.metadata).toEqual({ default: { i } });
    }
  });
});

describe('large traces', () => {
  it('streams subsegments as separate documents when the segment would exceed the 64 KB datagram', async () => {
    const seg = xray.openRequestSegment(request('/api/activities/home'));
    seg.run(() => {
      for (let i = 0; i < 40; i++) {
        xray.subsegment(`chunk-${i}`, () => xray.addMetadata('blob', 'x'.repeat(4000)));
      }
    });
    seg.close({ statusCode: 200 });
    await local.waitFor(() => local.segments({ traceId: seg.traceId }).length >= 41);
    const docs = local.segments({ traceId: seg.traceId });
    expect(local.rejections()).toEqual([]);
    expect(docs.every((d) => d.bytes <= MAX_DATAGRAM_BYTES)).toBe(true);
    const parent = docs.find((d) => d.kind === 'segment')!;
    expect(parent.id).toBe(seg.id);
    const streamed = docs.filter((d) => d.kind === 'subsegment');
    expect(streamed.map((d) => d.name).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `chunk-${i}`).sort(),
    );
    for (const d of streamed) {
      expect(d.parentId).toBe(seg.id);
      expect((d.document.metadata as Doc).default.blob).toHaveLength(4000);
    }
    expect(xray.stats().dropped).toEqual({});
  });

  it('cuts the metadata of a single document that cannot fit rather than losing it', async () => {
    const { config } = resolveXRayConfig(
      { serviceName: 'backend-flask', samplingRules: SAMPLE_ALL },
      local.env,
      {
        // The default policy cuts strings at 8 KB; allow big ones to make one document too large.
        redaction: {
          ...(await import('@sightline/core')).createRedactionPolicy({ maxStringLength: 200_000 }),
        },
      },
    );
    const big = createXRay(config);
    try {
      const seg = big.openRequestSegment(request('/big'));
      seg.run(() => big.addMetadata('blob', 'y'.repeat(100_000)));
      seg.close({ statusCode: 200 });
      const doc = (await segmentWithId(local, seg.id)).document as Doc;
      expect(doc.metadata.sightline.truncated).toMatch(/metadata removed/);
      expect(doc.http.response.status).toBe(200);
    } finally {
      await big.shutdown(1000);
    }
  });
});

describe('sampling with the Cruddur rule (ReservoirSize 5, FixedRate 0.1)', () => {
  it('traces the first 5 requests of each second, then about 10 % of the rest', async () => {
    let now = Date.UTC(2026, 10, 27, 19, 45, 0);
    const { config } = resolveXRayConfig(
      { serviceName: 'backend-flask', samplingRules: CRUDDUR_RULE },
      local.env,
    );
    const sampled = createXRay(config, { clock: { now: () => now, random: seededRandom(42) } });
    try {
      const seconds = 20;
      const perSecond = 100;
      const decisions: boolean[][] = [];
      for (let s = 0; s < seconds; s++) {
        const row: boolean[] = [];
        for (let r = 0; r < perSecond; r++) {
          const seg = sampled.openRequestSegment(request(`/api/activities/home?s=${s}&r=${r}`));
          row.push(seg.sampled);
          seg.close({ statusCode: 200 });
          now += 1000 / perSecond;
        }
        decisions.push(row);
      }
      // The reservoir: the first 5 of every second, always.
      for (const row of decisions) expect(row.slice(0, 5)).toEqual([true, true, true, true, true]);
      // The rate: 95 per second past the reservoir, 10 % of them. Expected 190 over 20 s; the binomial
      // standard deviation is sqrt(1900 * 0.1 * 0.9) ≈ 13, so ±45 (3.5 sd) is the stated tolerance.
      const beyond = decisions.flatMap((row) => row.slice(5)).filter(Boolean).length;
      expect(beyond).toBeGreaterThanOrEqual(190 - 45);
      expect(beyond).toBeLessThanOrEqual(190 + 45);
      const total = seconds * 5 + beyond;
      await local.waitFor(() => local.segments().length >= total);
      expect(local.segments()).toHaveLength(total);
      expect(local.segments().every((s) => (s.document.aws as Doc)?.xray?.rule_name === 'Cruddur')).toBe(
        true,
      );
      expect(sampled.stats().dropped.not_sampled).toBe(seconds * perSecond - total);
    } finally {
      await sampled.shutdown(1000);
    }
  });

  it('applies the rule only to its service: other services fall to the default 1/s + 5 %', () => {
    const now = Date.UTC(2026, 10, 27, 19, 45, 0);
    const { config } = resolveXRayConfig({ serviceName: 'other', samplingRules: CRUDDUR_RULE }, local.env);
    const other = createXRay(config, { clock: { now: () => now, random: () => 0.5 } });
    const row = Array.from({ length: 10 }, () => {
      const seg = other.openRequestSegment(request('/'));
      seg.close({ statusCode: 200 });
      return seg.sampled;
    });
    expect(row).toEqual([true, false, false, false, false, false, false, false, false, false]);
    return other.shutdown(1000);
  });
});

describe('bounded sending', () => {
  it('counts queue_full past maxPendingDatagrams and reports what was sent after forceFlush', async () => {
    const { config } = resolveXRayConfig(
      { serviceName: 'backend-flask', samplingRules: SAMPLE_ALL, maxPendingDatagrams: 5 },
      local.env,
    );
    const small = createXRay(config);
    try {
      for (let i = 0; i < 20; i++) small.openRequestSegment(request(`/${i}`)).close({ statusCode: 200 });
      const report = await small.forceFlush(5000);
      expect(report).toEqual({ sent: 5, dropped: { queue_full: 15 }, pending: 0 });
      await local.waitFor(() => local.segments().length === 5);
    } finally {
      await small.shutdown(1000);
    }
  });
});

describe('a daemon that is absent never reaches the application', () => {
  it('counts send failures for an unresolvable daemon host and keeps serving', async () => {
    const { config } = resolveXRayConfig(
      { daemonAddress: 'xray-daemon.invalid:2000', samplingRules: SAMPLE_ALL },
      {},
    );
    const lost = createXRay(config);
    for (let i = 0; i < 3; i++) {
      const seg = lost.openRequestSegment(request('/'));
      await seg.run(() => lost.subsegment('work', async () => tick()));
      seg.close({ statusCode: 200 });
    }
    const report = await lost.forceFlush(5000);
    expect(report.sent).toBe(0);
    expect(report.dropped.send_failed).toBe(3);
    expect(report.pending).toBe(0);
    const final = await lost.shutdown(1000);
    expect(final.dropped.send_failed).toBe(3);
  });

  it('keeps working while the daemon port is closed, and delivers again when it comes back', async () => {
    await local.faults.xray.refuseConnections();
    for (let i = 0; i < 5; i++) xray.openRequestSegment(request('/')).close({ statusCode: 200 });
    await xray.forceFlush(1000);
    await local.faults.xray.acceptConnections();
    const seg = xray.openRequestSegment(request('/back'));
    seg.close({ statusCode: 200 });
    await segmentWithId(local, seg.id);
  });

  it('is a no-op after shutdown, counting what arrives late', async () => {
    await xray.shutdown(1000);
    const seg = xray.openRequestSegment(request('/late'));
    expect(seg.sampled).toBe(false);
    expect(() => seg.run(() => xray.subsegment('x', () => 1))).not.toThrow();
    seg.close({ statusCode: 200 });
  });
});
