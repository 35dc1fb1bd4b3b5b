import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { xrayToOtelTraceId } from '@sightline/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPropagator, type TracingBackend } from '../src/index';
import { startInMemory } from './memory';

const XRAY_ROOT = '1-67891233-abcdef012345678912345678';
const OTEL_FROM_ROOT = xrayToOtelTraceId(XRAY_ROOT);

/** Sends one request with exactly these headers: tracing is suppressed so nothing is injected on the way. */
function rawGet(port: number, headers: Record<string, string>): Promise<void> {
  return context.with(suppressTracing(context.active()), () => {
    return new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/x', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
  });
}

describe('incoming trace headers (instrumented node:http server)', () => {
  let backend: TracingBackend | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    await backend?.shutdown(1000);
    backend = undefined;
  });

  let lastMemory: ReturnType<typeof startInMemory>['memory'] | undefined;
  const portOf = (s: Server | undefined): number => {
    if (s === undefined) throw new Error('no server');
    return (s.address() as AddressInfo).port;
  };

  async function serve() {
    const started = startInMemory({ instrumentations: { http: true, undici: false } });
    lastMemory = started.memory;
    backend = started.backend;
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const serverSpan = async (headers: Record<string, string>, options: { keep?: boolean } = {}) => {
      if (!options.keep) started.memory.reset();
      await rawGet(port, headers);
      // The server span ends on the response's 'finish', which can come after the client saw the end.
      return vi.waitFor(async () => {
        await started.backend.forceFlush(1000);
        const spans = started.memory.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
        const span = spans[spans.length - 1];
        if (!span) throw new Error('no server span yet');
        return span;
      });
    };
    return serverSpan;
  }

  it('continues an X-Ray trace from a header without Parent= (same trace id, new root)', async () => {
    const serverSpan = await serve();
    const span = await serverSpan({ 'x-amzn-trace-id': `Root=${XRAY_ROOT};Sampled=1` });
    expect(span.spanContext().traceId).toBe(OTEL_FROM_ROOT);
    expect(span.parentSpanContext).toBeUndefined();
    // Only that request: the next one without headers starts its own trace.
    const next = await serverSpan({});
    expect(next.spanContext().traceId).not.toBe(OTEL_FROM_ROOT);
  });

  it('honours Sampled=0 of a header without Parent= (nothing recorded for that request)', async () => {
    const serverSpan = await serve();
    await rawGet(portOf(server), { 'x-amzn-trace-id': `Root=${XRAY_ROOT};Sampled=0` });
    // A full request later the first one's span would have ended: only the second one is there.
    const second = await serverSpan({ 'x-amzn-trace-id': `Root=${XRAY_ROOT};Sampled=1` }, { keep: true });
    expect(second.spanContext().traceId).toBe(OTEL_FROM_ROOT);
    expect(lastMemory?.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER)).toHaveLength(1);
  });

  it('continues an X-Ray trace with Parent= as the parent span', async () => {
    const serverSpan = await serve();
    const span = await serverSpan({
      'x-amzn-trace-id': `Root=${XRAY_ROOT};Parent=53995c3f42cd8ad8;Sampled=1`,
    });
    expect(span.spanContext().traceId).toBe(OTEL_FROM_ROOT);
    expect(span.parentSpanContext?.spanId).toBe('53995c3f42cd8ad8');
  });

  it('continues a W3C traceparent, and prefers it when both headers are sent', async () => {
    const serverSpan = await serve();
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const span = await serverSpan({ traceparent: tp });
    expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    const both = await serverSpan({
      traceparent: tp,
      'x-amzn-trace-id': `Root=${XRAY_ROOT};Parent=53995c3f42cd8ad8;Sampled=1`,
    });
    expect(both.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('ignores a malformed X-Ray header', async () => {
    const serverSpan = await serve();
    const span = await serverSpan({ 'x-amzn-trace-id': 'Root=not-a-trace;Parent=zz' });
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe(OTEL_FROM_ROOT);
  });
});

describe('createPropagator', () => {
  it('injects traceparent, X-Amzn-Trace-Id and baggage', () => {
    const p = createPropagator();
    const ctx = propagation.setBaggage(
      trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '67891233abcdef012345678912345678',
        spanId: '53995c3f42cd8ad8',
        traceFlags: 1,
      }),
      propagation.createBaggage({ tenant: { value: 'cruddur' } }),
    );
    const carrier: Record<string, string> = {};
    p.inject(ctx, carrier, { set: (c, k, v) => ((c as Record<string, string>)[k] = v) });
    expect(carrier).toEqual({
      'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1',
      traceparent: '00-67891233abcdef012345678912345678-53995c3f42cd8ad8-01',
      baggage: 'tenant=cruddur',
    });
    expect(p.fields()).toEqual(
      expect.arrayContaining(['traceparent', 'tracestate', 'baggage', 'x-amzn-trace-id']),
    );
  });
});
