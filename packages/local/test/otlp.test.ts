import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Local, maskSecret, startLocal } from '../src/index';
import { FAKE_HONEYCOMB_KEY, otlpProvider } from './clients';

describe('OTLP/HTTP receiver', () => {
  let local: Local;
  beforeEach(async () => {
    local = await startLocal();
  });
  afterEach(async () => {
    await local.close();
  });

  it('stores spans sent by the OTLP/proto exporter, with resource, scope and masked headers', async () => {
    const provider = otlpProvider(local);
    const tracer = provider.getTracer('home.activities', '0.0.1');
    // No context manager is registered: the parent is passed explicitly.
    const parent = tracer.startSpan('parent', { kind: SpanKind.SERVER });
    const child = tracer.startSpan(
      'home-activities-mock-data',
      {
        attributes: {
          'app.result_length': 3,
          'app.now': '2026-01-01T00:00:00Z',
          'app.ok': true,
          'app.list': [1, 2],
        },
      },
      trace.setSpan(context.active(), parent),
    );
    child.addEvent('computed', { rows: 3 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'bad' });
    child.end();
    parent.end();
    await provider.forceFlush();
    const spans = await local.waitFor(() => (local.spans().length === 2 ? local.spans() : undefined));
    const stored = spans.find((s) => s.name === 'home-activities-mock-data')!;
    const storedParent = spans.find((s) => s.name === 'parent')!;
    expect(stored.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(stored.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(stored.parentSpanId).toBe(storedParent.spanId);
    expect(storedParent.parentSpanId).toBeUndefined();
    expect(storedParent.kindName).toBe('SERVER');
    expect(stored.attributes).toEqual({
      'app.result_length': 3,
      'app.now': '2026-01-01T00:00:00Z',
      'app.ok': true,
      'app.list': [1, 2],
    });
    expect(stored.events[0]).toMatchObject({ name: 'computed', attributes: { rows: 3 } });
    expect(stored.status).toEqual({ code: 2, message: 'bad' });
    expect(stored.resource['service.name']).toBe('local-test');
    expect(stored.scope).toMatchObject({ name: 'home.activities', version: '0.0.1' });
    expect(stored.durationMs).toBeGreaterThanOrEqual(0);
    expect(BigInt(stored.endTimeUnixNano) >= BigInt(stored.startTimeUnixNano)).toBe(true);
    const request = local.requests({ backend: 'otlp' })[0]!;
    expect(request).toMatchObject({ status: 200, outcome: 'ok', operation: 'POST /v1/traces' });
    expect(request.headers['content-type']).toBe('application/x-protobuf');
    expect(request.headers['x-honeycomb-team']).toBe(maskSecret(FAKE_HONEYCOMB_KEY));
    expect(JSON.stringify(local.requests())).not.toContain(FAKE_HONEYCOMB_KEY);
    await provider.shutdown();
  });

  it('decodes links, byte-exact timestamps and array attributes', async () => {
    const provider = otlpProvider(local);
    const tracer = provider.getTracer('t');
    const linked = tracer.startSpan('linked');
    linked.end();
    const span = tracer.startSpan('linking', {
      links: [{ context: linked.spanContext(), attributes: { why: 'batch' } }],
      attributes: { tags: ['a', 'b'], flags: [true, false] },
      startTime: [1_700_000_000, 123_456_789],
    });
    span.end([1_700_000_001, 0]);
    await provider.forceFlush();
    const stored = (await local.waitFor(() => local.spans({ name: 'linking' })[0]))!;
    expect(stored.links).toEqual([
      {
        traceId: linked.spanContext().traceId,
        spanId: linked.spanContext().spanId,
        traceState: '',
        attributes: { why: 'batch' },
      },
    ]);
    expect(stored.startTimeUnixNano).toBe('1700000000123456789');
    expect(stored.endTimeUnixNano).toBe('1700000001000000000');
    expect(stored.durationMs).toBeCloseTo(876.543211, 5);
    expect(stored.attributes).toEqual({ tags: ['a', 'b'], flags: [true, false] });
    await provider.shutdown();
  });

  it('decodes gzip-compressed bodies', async () => {
    const provider = otlpProvider(local, { gzip: true });
    provider.getTracer('t').startSpan('zipped').end();
    await provider.forceFlush();
    await local.waitFor(() => local.spans({ name: 'zipped' }).length === 1);
    expect(local.requests()[0]!.headers['content-encoding']).toBe('gzip');
    await provider.shutdown();
  });
});
