import { SpanKind } from '@opentelemetry/api';
import { type Local, startLocal } from '@sightline/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getActiveTraceIds, withSpan } from '../src/index';
import { startAgainst, stopAll } from './helpers';

describe('spans delivered to @sightline/local over OTLP/HTTP protobuf', () => {
  let local: Local;
  beforeEach(async () => {
    local = await startLocal();
  });
  afterEach(async () => {
    await stopAll();
    await local.close();
  });

  it('nests withSpan spans as parent and child of one trace, with the resource and the Honeycomb header', async () => {
    const backend = startAgainst(local, {
      HONEYCOMB_API_KEY: 'fake-env-key-0000000000',
      OTEL_SERVICE_VERSION: '1.2.3',
      OTEL_RESOURCE_ATTRIBUTES: 'team=cruddur,deployment.environment.name=test',
    });
    let ids: ReturnType<typeof getActiveTraceIds>;
    await withSpan(
      'home-activities',
      async () => {
        await withSpan(
          'home-activities-mock-data',
          async (span) => {
            ids = getActiveTraceIds();
            span.setAttribute('app.result_length', 3);
          },
          { kind: SpanKind.INTERNAL, attributes: { 'app.now': '2026-01-01T00:00:00Z' } },
        );
      },
      { tracer: backend.tracer('home.activities') },
    );
    const report = await backend.forceFlush(3000);
    const spans = await local.waitFor(() => (local.spans().length === 2 ? local.spans() : undefined));
    const parent = spans.find((s) => s.name === 'home-activities');
    const child = spans.find((s) => s.name === 'home-activities-mock-data');
    expect(parent?.parentSpanId).toBeUndefined();
    expect(child?.parentSpanId).toBe(parent?.spanId);
    expect(child?.traceId).toBe(parent?.traceId);
    expect(ids?.traceId).toBe(child?.traceId);
    expect(ids?.xrayTraceId).toBe(`1-${child?.traceId.slice(0, 8)}-${child?.traceId.slice(8)}`);
    expect(child?.attributes).toMatchObject({ 'app.now': '2026-01-01T00:00:00Z', 'app.result_length': 3 });
    expect(parent?.scope.name).toBe('home.activities');
    expect(child?.resource).toMatchObject({
      'service.name': 'tracing-test',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
      team: 'cruddur',
      'telemetry.sdk.language': 'nodejs',
    });
    expect(typeof child?.resource['host.name']).toBe('string');
    expect(typeof child?.resource['process.pid']).toBe('number');
    // X-Ray layout: the first 8 hex digits are the epoch second the trace started.
    const seconds = Number.parseInt(child?.traceId.slice(0, 8) ?? '', 16);
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(600);
    const request = local.requests({ backend: 'otlp' })[0];
    expect(request?.headers['x-honeycomb-team']).toMatch(/\*\*\*\*/);
    expect(request?.headers['content-type']).toBe('application/x-protobuf');
    expect(report).toEqual({ sent: 2, dropped: {}, pending: 0 });
  });

  it('gzips the body when OTEL_EXPORTER_OTLP_COMPRESSION=gzip, and local decodes it', async () => {
    const backend = startAgainst(local, { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' });
    withSpan('zipped', () => undefined);
    expect((await backend.forceFlush(3000)).sent).toBe(1);
    expect(local.requests({ backend: 'otlp' })[0]?.headers['content-encoding']).toBe('gzip');
    expect(local.spans().map((s) => s.name)).toEqual(['zipped']);
  });

  it('sends nothing with OTEL_TRACES_SAMPLER=always_off, and records SampleRate with the deterministic sampler', async () => {
    const off = startAgainst(local, { OTEL_TRACES_SAMPLER: 'always_off' });
    withSpan('dropped-by-sampler', () => undefined);
    expect(await off.shutdown(3000)).toEqual({ sent: 0, dropped: {}, pending: 0 });
    const sampled = startAgainst(local, { HONEYCOMB_SAMPLE_RATE: '1' });
    withSpan('kept', () => undefined);
    await sampled.forceFlush(3000);
    expect(local.spans().map((s) => [s.name, s.attributes.SampleRate])).toEqual([['kept', 1]]);
  });
});
