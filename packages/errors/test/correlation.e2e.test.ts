import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { otelToXRayTraceId } from '@sightline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at, type Harness, onlyItem, startHarness } from './helpers';

describe('correlation with the active trace', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager();
  let h: Harness;

  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });
  beforeEach(async () => {
    h = await startHarness();
    exporter.reset();
  });
  afterEach(async () => {
    await h.close();
  });

  it('puts the active span ids on the item, links to both consoles, and the uuid on the span', async () => {
    const reporter = h.reporter({ links: { team: 'cruddur-team', region: 'ca-central-1' } });
    const tracer = trace.getTracer('errors-test');
    let ids = { traceId: '', spanId: '' };
    let uuid: string | undefined;
    await tracer.startActiveSpan('GET /api/activities/home', async (span) => {
      await Promise.resolve(); // the context survives an await, as in a real handler
      ids = span.spanContext();
      uuid = reporter.report(new Error('home feed failed'));
      span.end();
    });
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    const xrayId = otelToXRayTraceId(ids.traceId)!;
    expect(at(item.data, 'custom.trace_id')).toBe(ids.traceId);
    expect(at(item.data, 'custom.span_id')).toBe(ids.spanId);
    expect(at(item.data, 'custom.xray_trace_id')).toBe(xrayId);
    expect(at(item.data, 'custom.honeycomb_trace_url')).toBe(
      `https://ui.honeycomb.io/cruddur-team/environments/test/datasets/cruddur-backend/trace?trace_id=${ids.traceId}`,
    );
    expect(at(item.data, 'custom.xray_trace_url')).toBe(
      `https://ca-central-1.console.aws.amazon.com/cloudwatch/home?region=ca-central-1#xray:traces/${xrayId}`,
    );
    const [finished] = exporter.getFinishedSpans();
    expect(finished?.attributes['rollbar.uuid']).toBe(uuid);
  });

  it('leaves the ids out outside a span, and a link out when its placeholders are unknown', async () => {
    const reporter = h.reporter({ links: { region: 'ca-central-1' } });
    reporter.report(new Error('background job failed'));
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    expect(at(item.data, 'custom')).toBeUndefined();
  });

  it('uses the facade hooks when given: getCorrelation and onReported', async () => {
    const { createErrorReporter, resolveErrorsConfig } = await import('../src/index');
    const { config } = resolveErrorsConfig(
      { accessToken: 'fake-token-0000000000000000' },
      { ROLLBAR_ENDPOINT: h.local.env.ROLLBAR_ENDPOINT },
    );
    const reported: [string, unknown][] = [];
    const ids = {
      trace_id: '5f3c1a2b0123456789abcdef01234567',
      span_id: '0123456789abcdef',
      xray_trace_id: '1-5f3c1a2b-0123456789abcdef01234567',
    };
    const reporter = createErrorReporter(config, {
      getCorrelation: () => ids,
      onReported: (u, c) => reported.push([u, c]),
    });
    h.reporters.push(reporter);
    const uuid = reporter.report(new Error('from the facade'));
    expect(reported).toEqual([[uuid, ids]]);
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    expect(at(item.data, 'custom')).toMatchObject(ids);
  });
});
