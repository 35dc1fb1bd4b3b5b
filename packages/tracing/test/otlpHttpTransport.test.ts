import { ROOT_CONTEXT } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type Local, startLocal } from '@sightline/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOtlpHttpTransport, partialSuccess, retryAfterMs } from '../src/otlpHttpTransport';
import { SpanBatchEncoder } from '../src/otlpProtobuf';

/** A batch of `names.length` finished spans, encoded as the processor encodes them. */
function batchOf(names: string[], traceId?: string) {
  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer(
    't',
  );
  for (const name of names) tracer.startSpan(name, {}, ROOT_CONTEXT).end();
  const encoder = new SpanBatchEncoder();
  for (const span of memory.getFinishedSpans()) {
    const context = span.spanContext();
    encoder.add(
      traceId === undefined
        ? span
        : Object.assign(Object.create(span), { spanContext: () => ({ ...context, traceId }) }),
    );
  }
  return { bytes: encoder.take(), length: names.length };
}

const send = (transport: ReturnType<typeof createOtlpHttpTransport>, batch: ReturnType<typeof batchOf>) =>
  new Promise<ExportResult>((resolve) => transport.export(batch, resolve));

describe('createOtlpHttpTransport against @sightline/local', () => {
  let local: Local;
  beforeEach(async () => {
    local = await startLocal();
  });
  afterEach(async () => {
    await local.close();
  });
  const url = () => `${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`;

  it('posts the batch, plain or gzipped, with its headers and the configured ones, and local stores every span', async () => {
    for (const compression of ['none', 'gzip'] as const) {
      const transport = createOtlpHttpTransport({
        url: url(),
        headers: { 'x-honeycomb-team': 'test-key-not-a-secret' },
        compression,
        timeoutMillis: 5000,
      });
      const result = await send(transport, batchOf(['a', 'b', 'c']));
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      await transport.shutdown();
    }
    expect(
      local
        .spans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    const exports = local.requests().filter((r) => r.backend === 'otlp');
    expect(exports).toHaveLength(2);
    for (const record of exports) {
      expect(record.headers['content-type']).toBe('application/x-protobuf');
      // The configured header arrived (local masks its value, as it does every credential header).
      expect(record.headers['x-honeycomb-team']).toMatch(/^\*+/);
      expect(record.headers['user-agent']).toContain('OTel-OTLP-Exporter-');
    }
    expect(exports.map((r) => r.headers['content-encoding'])).toEqual([undefined, 'gzip']);
  });

  it('retries a throttled export after the collector’s Retry-After, not its own backoff', async () => {
    local.faults.otlp.throttleNext(2, { retryAfterSeconds: 0 });
    // Two retries on the exporter's own backoff (about 1 s, then 1.5 s) would outlive this deadline.
    const transport = createOtlpHttpTransport({
      url: url(),
      headers: {},
      compression: 'none',
      timeoutMillis: 1500,
    });
    const result = await send(transport, batchOf(['throttled twice']));
    await transport.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(local.requests().map((r) => r.outcome)).toEqual(['throttled', 'throttled', 'ok']);
    expect(local.spans().map((s) => s.name)).toEqual(['throttled twice']);
  });

  it('tells a partial success: the collector kept the batch but refused some spans', async () => {
    const refused: [number, string][] = [];
    const transport = createOtlpHttpTransport({
      url: url(),
      headers: {},
      compression: 'none',
      timeoutMillis: 5000,
      onPartialSuccess: (n, message) => refused.push([n, message]),
    });
    // An all-zero trace id is invalid: local refuses those spans and answers 200 with partial_success.
    const result = await send(transport, batchOf(['bad', 'worse'], '0'.repeat(32)));
    await transport.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(refused).toHaveLength(1);
    expect(refused[0]![0]).toBe(2);
    expect(refused[0]![1]).toContain('invalid trace_id');
  });

  it('fails with the status as a numeric code on a non-retryable answer, at once', async () => {
    const transport = createOtlpHttpTransport({
      url: `${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/wrong-path`,
      headers: {},
      compression: 'none',
      timeoutMillis: 5000,
    });
    const result = await send(transport, batchOf(['a']));
    await transport.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect((result.error as Error & { code?: unknown }).code).toBe(404);
    // Answered once: a 404 is not retried.
    expect(local.requests().filter((r) => r.backend === 'otlp')).toHaveLength(1);
  });
});

describe('OTLP response and header parsing', () => {
  it('reads partial_success from an ExportTraceServiceResponse; an empty body is full success', () => {
    const message = Buffer.from('bad ids');
    const inner = Buffer.from([0x08, 0x03, 0x12, message.length, ...message]);
    expect(partialSuccess(Buffer.from([0x0a, inner.length, ...inner]))).toEqual({
      rejected: 3,
      message: 'bad ids',
    });
    expect(partialSuccess(new Uint8Array())).toEqual({ rejected: 0, message: '' });
    expect(partialSuccess(Buffer.from([0x0a, 0x7f]))).toEqual({ rejected: 0, message: '' }); // truncated
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores anything else', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Sat, 28 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
