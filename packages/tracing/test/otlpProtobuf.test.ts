import {
  type Attributes,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtoWriter, SpanBatchEncoder } from '../src/otlpProtobuf';

// Our serializer must write exactly what OpenTelemetry's writes: the same bytes, for every span shape.

/** Through an encoder that is reused, span by span, as the export pipeline uses it. */
function ours(spans: ReadableSpan[], encoder = new SpanBatchEncoder()): Uint8Array {
  for (const span of spans) encoder.add(span);
  expect(encoder.count).toBe(spans.length);
  return encoder.take();
}

function theirs(spans: ReadableSpan[]): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error('OpenTelemetry serialized nothing');
  return bytes;
}

function recorder(resourceAttributes: Attributes = { 'service.name': 'parity' }) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    // No limits in the way of the long values below.
    spanLimits: { attributeValueLengthLimit: Number.POSITIVE_INFINITY },
  });
  return { provider, spans: () => exporter.getFinishedSpans() };
}

describe('OTLP protobuf serializer', () => {
  it('writes what OpenTelemetry writes for spans of every feature', () => {
    const { provider, spans } = recorder({ 'service.name': 'parity', 'deployment.environment.name': 'tést' });
    const tracer = provider.getTracer('scope-a', '1.2.3', {
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
    });
    const other = provider.getTracer('scope-b');
    const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: new TraceState('vendor=value,other=x'),
    });
    const server = tracer.startSpan(
      'GET /api/activities/:id',
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': 'GET',
          'server.port': 8080,
          'http.response.status_code': 200,
          negative: -42,
          large: 2 ** 40,
          beyondSafe: 2 ** 60,
          ratio: 0.125,
          flag: false,
          'unicode.value': 'héllo → 世界 🎉',
          'long.value': 'x'.repeat(300),
          'huge.value': 'y'.repeat(20_000),
          strings: ['a', 'ß', ''],
          numbers: [1, 2.5, -3],
          booleans: [true, false],
          withHoles: ['a', null as unknown as string, 'b'],
        },
        links: [
          {
            context: {
              traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
              spanId: '00f067aa0ba902b7',
              traceFlags: TraceFlags.NONE,
              isRemote: true,
            },
            attributes: { 'link.kind': 'follows' },
          },
        ],
      },
      remoteParent,
    );
    server.addEvent('cache miss', { key: 'activities:home', size: 3 });
    server.addEvent('no attributes');
    server.recordException(new Error('boom'));
    server.setStatus({ code: SpanStatusCode.ERROR, message: 'it failed' });
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, server));
    child.end();
    server.end();
    const orphan = other.startSpan('orphan', { kind: SpanKind.CONSUMER, root: true });
    orphan.setStatus({ code: SpanStatusCode.OK });
    orphan.end();
    const second = recorder({ 'service.name': 'another-resource' });
    second.provider.getTracer('scope-c').startSpan('elsewhere').end();

    const all = [...spans(), ...second.spans()];
    expect(all).toHaveLength(4);
    expect(Buffer.from(ours(all))).toEqual(Buffer.from(theirs(all)));
  });

  it('writes the same bytes for a batch whose messages need multi-byte lengths, and for an empty one', () => {
    const { provider, spans } = recorder();
    const tracer = provider.getTracer('bulk');
    for (let i = 0; i < 600; i++) {
      tracer.startSpan(`span ${i}`, { attributes: { index: i, path: `/items/${i}` } }).end();
    }
    expect(Buffer.from(ours(spans()))).toEqual(Buffer.from(theirs(spans())));
    expect(ours([])).toHaveLength(0);
  });

  it('keeps its buffers between batches without carrying spans or bytes over', () => {
    const { provider, spans } = recorder();
    provider
      .getTracer('t')
      .startSpan('first', { attributes: { big: 'z'.repeat(5000) } })
      .end();
    provider.getTracer('u').startSpan('other scope').end();
    const encoder = new SpanBatchEncoder();
    const first = ours(spans(), encoder);
    // A later batch from another resource, in which the first batch's scopes have no span.
    const small = recorder();
    small.provider.getTracer('t').startSpan('second').end();
    const second = ours(small.spans(), encoder);
    expect(Buffer.from(first)).toEqual(Buffer.from(theirs(spans())));
    expect(Buffer.from(second)).toEqual(Buffer.from(theirs(small.spans())));
    expect(encoder.take()).toHaveLength(0);
  });

  it('leaves the batch as it was when a span cannot be written', () => {
    const { provider, spans } = recorder();
    provider.getTracer('t').startSpan('good').end();
    const good = spans()[0]!;
    const broken = { ...good, name: 'broken', spanContext: () => good.spanContext(), status: undefined };
    const encoder = new SpanBatchEncoder();
    encoder.add(good);
    expect(() => encoder.add(broken as unknown as ReadableSpan)).toThrow();
    expect(encoder.count).toBe(1);
    expect(Buffer.from(encoder.take())).toEqual(Buffer.from(theirs([good])));
  });

  it('writes the same bytes for any attribute values (property)', () => {
    const scalar = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.integer(),
      fc.double({ noNaN: false }),
      fc.maxSafeInteger(),
      fc.boolean(),
    );
    const value = fc.oneof(
      scalar,
      fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }),
      fc.array(fc.integer(), { maxLength: 5 }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), value, { maxKeys: 12 }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        (attributes, name) => {
          const { provider, spans } = recorder();
          const span = provider.getTracer('prop').startSpan(name, { attributes });
          span.addEvent(name, attributes);
          span.end();
          expect(Buffer.from(ours(spans()))).toEqual(Buffer.from(theirs(spans())));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes each HrTime as its exact count of nanoseconds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 18_446_744_072 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (s, ns) => {
          const writer = new ProtoWriter(16);
          writer.hrTime([s, ns]);
          const bytes = writer.take();
          expect(Buffer.from(bytes).readBigUInt64LE(0)).toBe(BigInt(s) * 1_000_000_000n + BigInt(ns));
        },
      ),
      { numRuns: 500 },
    );
  });
});
