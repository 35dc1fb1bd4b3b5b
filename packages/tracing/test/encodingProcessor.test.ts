import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type ExportResult, ExportResultCode, isTracingSuppressed } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createDiagnostics, defaultRedactionPolicy } from '@sightline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BoundedSpanProcessor, DeliveryState } from '../src/delivery';
import { EncodingBatchProcessor } from '../src/encodingProcessor';
import type { BatchTransport, EncodedBatch } from '../src/otlpExporter';

/** Our transport seam: records each batch and answers when the test says so. */
class FakeTransport implements BatchTransport {
  readonly batches: EncodedBatch[] = [];
  private readonly answers: ((result: ExportResult) => void)[] = [];
  suppressedDuringExport: boolean[] = [];
  autoAnswer: ExportResult | undefined = { code: ExportResultCode.SUCCESS };
  shutdowns = 0;

  export(batch: EncodedBatch, done: (result: ExportResult) => void): void {
    this.batches.push(batch);
    this.suppressedDuringExport.push(isTracingSuppressed(context.active()));
    if (this.autoAnswer) done(this.autoAnswer);
    else this.answers.push(done);
  }

  answer(result: ExportResult = { code: ExportResultCode.SUCCESS }): void {
    this.answers.shift()?.(result);
  }

  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}

function setup(options: { batch?: number; delay?: number; timeout?: number; maxQueue?: number } = {}) {
  const transport = new FakeTransport();
  const diag = createDiagnostics('tracing', { level: 'none' });
  const state = new DeliveryState(options.maxQueue ?? 100, diag);
  const processor = new EncodingBatchProcessor(() => transport, state, {
    maxExportBatchSize: options.batch ?? 512,
    scheduledDelayMs: options.delay ?? 5000,
    exportTimeoutMs: options.timeout ?? 30_000,
    redaction: defaultRedactionPolicy,
    url: 'http://127.0.0.1:4318/v1/traces',
    honeycomb: false,
    diag,
  });
  const ended = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new BoundedSpanProcessor(processor, state), new SimpleSpanProcessor(ended)],
  });
  const tracer = provider.getTracer('encoding-test');
  /** Ends a span, leaving it for the end of the event-loop turn like every span. */
  const endInTurn = (name: string, attributes: Record<string, string> = {}) =>
    tracer.startSpan(name, { attributes }, ROOT_CONTEXT).end();
  /** Ends a span and lets the turn end (the fake clock runs the immediate that encodes it). */
  const end = (name: string, attributes: Record<string, string> = {}) => {
    endInTurn(name, attributes);
    vi.advanceTimersByTime(0);
  };
  return { transport, state, processor, end, endInTurn, spans: () => ended.getFinishedSpans() };
}

const expected = (spans: ReadableSpan[]) => Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);

describe('EncodingBatchProcessor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a batch as soon as it holds maxExportBatchSize spans, with the bytes of exactly those spans', () => {
    const { transport, state, end, spans } = setup({ batch: 2 });
    end('a');
    expect(transport.batches).toHaveLength(0);
    expect(state.queued).toBe(1);
    end('b');
    expect(transport.batches).toHaveLength(1);
    expect(transport.batches[0]!.length).toBe(2);
    expect(Buffer.from(transport.batches[0]!.bytes)).toEqual(expected(spans()));
    expect(state.report()).toEqual({ sent: 2, dropped: {}, pending: 0 });
  });

  it('encodes the spans ended in a turn together at its end; forceFlush encodes them at once', async () => {
    const { transport, state, processor, endInTurn, spans } = setup({ batch: 2 });
    endInTurn('a');
    endInTurn('b');
    endInTurn('c');
    // Ended and counted as queued, not encoded yet: no batch can be full.
    expect(transport.batches).toHaveLength(0);
    expect(state.queued).toBe(3);
    vi.advanceTimersByTime(0);
    expect(transport.batches.map((b) => b.length)).toEqual([2]);
    expect(Buffer.from(transport.batches[0]!.bytes)).toEqual(expected(spans().slice(0, 2)));
    endInTurn('d');
    await processor.forceFlush();
    expect(transport.batches.map((b) => b.length)).toEqual([2, 2]);
    expect(Buffer.from(transport.batches[1]!.bytes)).toEqual(expected(spans().slice(2, 4)));
    expect(state.report()).toEqual({ sent: 4, dropped: {}, pending: 0 });
  });

  it('sends a smaller batch scheduledDelayMs after its first span', () => {
    const { transport, end } = setup({ delay: 1000 });
    end('a');
    vi.advanceTimersByTime(999);
    expect(transport.batches).toHaveLength(0);
    end('b');
    vi.advanceTimersByTime(1);
    expect(transport.batches.map((b) => b.length)).toEqual([2]);
  });

  it('exports one batch at a time, in order, and counts each span in flight until its answer', () => {
    const { transport, state, end, spans } = setup({ batch: 2 });
    transport.autoAnswer = undefined;
    for (const name of ['a', 'b', 'c', 'd', 'e']) end(name);
    expect(transport.batches).toHaveLength(1);
    expect(state.report().pending).toBe(5);
    transport.answer();
    expect(transport.batches).toHaveLength(2);
    transport.answer();
    // The fifth span waits for its timer or a flush.
    expect(transport.batches).toHaveLength(2);
    expect(state.report()).toEqual({ sent: 4, dropped: {}, pending: 1 });
    const all = spans();
    expect(Buffer.from(transport.batches[0]!.bytes)).toEqual(expected(all.slice(0, 2)));
    expect(Buffer.from(transport.batches[1]!.bytes)).toEqual(expected(all.slice(2, 4)));
  });

  it('forceFlush sends everything and resolves once every batch was answered', async () => {
    const { transport, state, processor, end } = setup({ batch: 2 });
    transport.autoAnswer = undefined;
    for (const name of ['a', 'b', 'c']) end(name);
    let flushed = false;
    const flush = processor.forceFlush().then(() => {
      flushed = true;
    });
    await Promise.resolve();
    expect(flushed).toBe(false);
    transport.answer();
    transport.answer();
    await flush;
    expect(transport.batches.map((b) => b.length)).toEqual([2, 1]);
    expect(state.report()).toEqual({ sent: 3, dropped: {}, pending: 0 });
  });

  it('counts a refused batch by reason, and one never answered as timed out, then goes on', () => {
    const { transport, state, end } = setup({ batch: 1, timeout: 100 });
    transport.autoAnswer = {
      code: ExportResultCode.FAILED,
      error: Object.assign(new Error('401'), { code: 401 }),
    };
    end('refused');
    transport.autoAnswer = undefined;
    end('unanswered');
    end('next');
    expect(transport.batches).toHaveLength(2);
    vi.advanceTimersByTime(100);
    expect(transport.batches).toHaveLength(3);
    // A late answer to the timed-out batch changes nothing.
    transport.answer();
    transport.answer();
    expect(state.report()).toEqual({ sent: 1, dropped: { unauthorized: 1, export_timeout: 1 }, pending: 0 });
  });

  it('redacts before encoding: a secret in an attribute never reaches the bytes', () => {
    const { transport, end } = setup({ batch: 1 });
    end('GET /login', { 'http.request.header.authorization': 'Bearer abc.def.secret-token-value' });
    const bytes = Buffer.from(transport.batches[0]!.bytes).toString('latin1');
    expect(bytes).toContain('GET /login');
    expect(bytes).not.toContain('secret-token-value');
  });

  it('drops a span it cannot encode as invalid, and still sends the others', () => {
    const { transport, state, processor } = setup({ batch: 2 });
    state.queued = 1; // as BoundedSpanProcessor counts it
    processor.onEnd({ name: 'broken', spanContext: () => ({}) } as unknown as ReadableSpan);
    vi.advanceTimersByTime(0);
    expect(state.report()).toEqual({ sent: 0, dropped: { invalid: 1 }, pending: 0 });
    const { end } = { end: setupEnd(processor, state) };
    end('fine');
    end('also fine');
    expect(transport.batches.map((b) => b.length)).toEqual([2]);
  });

  it('exports with tracing suppressed, so the export request makes no span of its own', () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      const { transport, end } = setup({ batch: 1 });
      end('a');
      expect(transport.suppressedDuringExport).toEqual([true]);
    } finally {
      context.disable();
    }
  });

  it('shutdown flushes, then shuts the transport once', async () => {
    const { transport, processor, end } = setup();
    end('a');
    await Promise.all([processor.shutdown(), processor.shutdown()]);
    expect(transport.batches.map((b) => b.length)).toEqual([1]);
    expect(transport.shutdowns).toBe(1);
  });
});

/** Ends spans straight into `processor`, counted queued as BoundedSpanProcessor would. */
function setupEnd(processor: EncodingBatchProcessor, state: DeliveryState) {
  const provider = new BasicTracerProvider({ spanProcessors: [new BoundedSpanProcessor(processor, state)] });
  const tracer = provider.getTracer('encoding-test');
  return (name: string) => {
    tracer.startSpan(name, {}, ROOT_CONTEXT).end();
    vi.advanceTimersByTime(0);
  };
}
