import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { getActiveTraceIds, type TracingBackend, withSpan } from '../src/index';
import { startInMemory } from './memory';

describe('withSpan', () => {
  let backend: TracingBackend | undefined;
  afterEach(async () => {
    await backend?.shutdown(1000);
    backend = undefined;
  });

  it('returns a sync value, makes the span active during fn, and ends it', async () => {
    const started = startInMemory();
    backend = started.backend;
    let inside: ReturnType<typeof getActiveTraceIds>;
    const value = withSpan('sync-work', () => {
      inside = getActiveTraceIds();
      return 42;
    });
    expect(value).toBe(42);
    expect(getActiveTraceIds()).toBeUndefined();
    await backend.forceFlush(1000);
    const [span] = started.memory.getFinishedSpans();
    expect(span?.name).toBe('sync-work');
    expect(span?.spanContext().spanId).toBe(inside?.spanId);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('gives the active ids in both forms, and none for an invalid span context', () => {
    backend = startInMemory().backend;
    const idsIn = (traceId: string, spanId: string) =>
      context.with(trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 1 }), () =>
        getActiveTraceIds(),
      );
    expect(idsIn('5759e988bd862e3fe1be46a994272793', '53995c3f42cd8ad8')).toEqual({
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '53995c3f42cd8ad8',
      xrayTraceId: '1-5759e988-bd862e3fe1be46a994272793',
    });
    // Upper case, as the API's own check allows: the X-Ray form is written in lower case.
    expect(idsIn('5759E988BD862E3FE1BE46A994272793', '53995C3F42CD8AD8')?.xrayTraceId).toBe(
      '1-5759e988-bd862e3fe1be46a994272793',
    );
    for (const [traceId, spanId] of [
      ['0'.repeat(32), '53995c3f42cd8ad8'],
      ['5759e988bd862e3fe1be46a994272793', '0'.repeat(16)],
      ['5759e988bd862e3fe1be46a99427279', '53995c3f42cd8ad8'],
      ['5759e988bd862e3fe1be46a994272793', '53995c3f42cd8ad'],
    ] as const) {
      expect(idsIn(traceId, spanId)).toBeUndefined();
    }
  });

  it('keeps the span active across awaits and passes kind and attributes', async () => {
    const started = startInMemory();
    backend = started.backend;
    const seen: (string | undefined)[] = [];
    const result = await withSpan(
      'async-work',
      async (span) => {
        seen.push(getActiveTraceIds()?.spanId);
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(getActiveTraceIds()?.spanId);
        return span.spanContext().spanId;
      },
      { kind: SpanKind.CLIENT, attributes: { 'app.result_length': 7 } },
    );
    expect(seen).toEqual([result, result]);
    await backend.forceFlush(1000);
    const [span] = started.memory.getFinishedSpans();
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes['app.result_length']).toBe(7);
    expect(span?.ended).toBe(true);
  });

  it('re-throws the very same error (sync and async), with status ERROR and an exception event', async () => {
    const started = startInMemory();
    backend = started.backend;
    const syncError = new TypeError('sync boom');
    const asyncError = new RangeError('async boom');
    let caught: unknown;
    try {
      withSpan('sync-fail', () => {
        throw syncError;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(syncError);
    const rejected = withSpan('async-fail', async () => {
      throw asyncError;
    });
    await expect(rejected).rejects.toBe(asyncError);
    const nonError = withSpan('string-fail', () => Promise.reject('plain string'));
    await expect(nonError).rejects.toBe('plain string');
    await backend.forceFlush(1000);
    const spans = started.memory.getFinishedSpans();
    for (const [name, message, type] of [
      ['sync-fail', 'sync boom', 'TypeError'],
      ['async-fail', 'async boom', 'RangeError'],
    ]) {
      const span = spans.find((s) => s.name === name);
      expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message });
      expect(span?.events[0]?.name).toBe('exception');
      expect(span?.events[0]?.attributes?.['exception.type']).toBe(type);
    }
    expect(spans.find((s) => s.name === 'string-fail')?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('nests: an inner withSpan is the child of the outer one', async () => {
    const started = startInMemory();
    backend = started.backend;
    await withSpan('outer', () => withSpan('inner', async () => undefined));
    await backend.forceFlush(1000);
    const spans = started.memory.getFinishedSpans();
    const outer = spans.find((s) => s.name === 'outer');
    const inner = spans.find((s) => s.name === 'inner');
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(inner?.spanContext().traceId).toBe(outer?.spanContext().traceId);
  });

  it('runs fn unchanged when tracing is not started (no-op span, no ids)', async () => {
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(withSpan('noop', () => getActiveTraceIds())).toBeUndefined();
    await expect(withSpan('noop-async', async () => 'value')).resolves.toBe('value');
  });
});
