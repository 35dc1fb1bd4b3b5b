import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createDiagnostics } from '@sightline/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveTracingConfig, startTracing, type TracingBackend, withSpan } from '../src/index';
import { startInMemory } from './memory';

/** An exporter whose requests never finish: the endpoint that hangs, without a socket. */
class HangingExporter implements SpanExporter {
  calls = 0;
  export(_spans: ReadableSpan[], _done: (result: ExportResult) => void): void {
    this.calls++;
  }
  shutdown(): Promise<void> {
    return new Promise(() => undefined);
  }
  forceFlush(): Promise<void> {
    return new Promise(() => undefined);
  }
}

const quiet = () => createDiagnostics('tracing', { level: 'none' });

describe('TracingBackend lifecycle', () => {
  const backends: TracingBackend[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    while (backends.length > 0) await backends.pop()?.shutdown(500);
  });

  it('starts and stops repeatedly, unregistering the globals and its exit listener each time', async () => {
    const exitListeners = process.listenerCount('exit');
    for (let round = 0; round < 3; round++) {
      const { backend, memory } = startInMemory();
      expect(backend.active).toBe(true);
      expect(process.listenerCount('exit')).toBe(exitListeners + 1);
      withSpan(`round-${round}`, () => undefined);
      await backend.forceFlush(1000);
      // (the in-memory exporter forgets its spans on shutdown)
      expect(memory.getFinishedSpans().map((s) => s.name)).toEqual([`round-${round}`]);
      expect(await backend.shutdown(1000)).toEqual({ sent: 1, dropped: {}, pending: 0 });
      expect(process.listenerCount('exit')).toBe(exitListeners);
    }
  });

  it('stays inactive (and says so) when another tracer provider is already registered', async () => {
    const first = startInMemory();
    backends.push(first.backend);
    const lines: string[] = [];
    const { config } = resolveTracingConfig({ enabled: true }, {});
    const second = startTracing(config, {
      diagnostics: createDiagnostics('tracing', { sink: (_l, m) => lines.push(m) }),
    });
    expect(second.active).toBe(false);
    expect(second.describe()).toContain('another OpenTelemetry tracer provider');
    expect(lines[0]).toContain('already registered');
    // The first one keeps working.
    withSpan('still-first', () => undefined);
    await first.backend.forceFlush(1000);
    expect(first.memory.getFinishedSpans().map((s) => s.name)).toEqual(['still-first']);
  });

  it('is a no-op backend when disabled', async () => {
    const { config } = resolveTracingConfig(false, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' });
    const backend = startTracing(config, { diagnostics: quiet() });
    expect(backend.active).toBe(false);
    expect(backend.describe()).toBe('tracing: off');
    expect(await backend.forceFlush()).toEqual({ sent: 0, dropped: {}, pending: 0 });
    expect(await backend.shutdown()).toEqual({ sent: 0, dropped: {}, pending: 0 });
  });

  it('bounds the queue: past maxQueueSize new spans are dropped and counted queue_full', async () => {
    const hanging = new HangingExporter();
    const { backend } = startInMemory(
      { batch: { maxQueueSize: 5, maxExportBatchSize: 5, scheduledDelayMs: 60_000 } },
      { exporter: hanging },
    );
    backends.push(backend);
    // The first 5 fill the queue and go out as one (hanging) batch (once the resource's async host.id
    // is known); then 5 more fill the queue again and the other 10 are dropped.
    for (let i = 0; i < 5; i++) withSpan(`s${i}`, () => undefined);
    await vi.waitFor(() => expect(hanging.calls).toBe(1));
    for (let i = 5; i < 20; i++) withSpan(`s${i}`, () => undefined);
    const stats = backend.stats();
    expect(stats.dropped).toEqual({ queue_full: 10 });
    expect(stats.pending).toBe(10);
    expect(stats.sent).toBe(0);
  });

  it('resolves forceFlush and shutdown at their deadline when the exporter never answers (fake timers)', async () => {
    vi.useFakeTimers();
    const hanging = new HangingExporter();
    const { backend } = startInMemory({ batch: { scheduledDelayMs: 60_000 } }, { exporter: hanging });
    for (let i = 0; i < 3; i++) withSpan(`s${i}`, () => undefined);
    let flushed: unknown;
    void backend.forceFlush(1000).then((r) => (flushed = r));
    await vi.advanceTimersByTimeAsync(999);
    expect(flushed).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(flushed).toEqual({ sent: 0, dropped: {}, pending: 3 });
    let final: unknown;
    void backend.shutdown(2000).then((r) => (final = r));
    await vi.advanceTimersByTimeAsync(2000);
    expect(final).toEqual({ sent: 0, dropped: { shutdown_timeout: 3 }, pending: 3 });
  });

  it('counts spans ended after shutdown as after_shutdown without exporting them', async () => {
    const { backend, memory } = startInMemory();
    const tracer = backend.tracer('late');
    const span = tracer.startSpan('late-span');
    await backend.shutdown(1000);
    span.end();
    expect(memory.getFinishedSpans()).toEqual([]);
  });

  it('reports exporter failures as drops while telling the batch processor all is well', async () => {
    const failing: SpanExporter = {
      export: (_spans, done) =>
        done({
          code: ExportResultCode.FAILED,
          error: Object.assign(new Error('Unauthorized'), { code: 403 }),
        }),
      shutdown: async () => undefined,
    };
    const { backend } = startInMemory({}, { exporter: failing });
    backends.push(backend);
    withSpan('a', () => undefined);
    withSpan('b', () => undefined);
    expect(await backend.forceFlush(1000)).toEqual({ sent: 0, dropped: { unauthorized: 2 }, pending: 0 });
  });

  it('prints spans with the console exporter (OTEL_TRACES_EXPORTER=console), redacted like any other', async () => {
    const printed: unknown[] = [];
    const dir = vi.spyOn(console, 'dir').mockImplementation((value) => {
      printed.push(value);
    });
    try {
      const { config } = resolveTracingConfig(
        { instrumentations: { http: false, undici: false }, batch: { scheduledDelayMs: 0 } },
        { OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'dev' },
      );
      expect(config.enabled).toBe(true);
      const backend = startTracing(config, { diagnostics: quiet() });
      backends.push(backend);
      withSpan('printed', (span) => span.setAttribute('app.password', 'fake-pass'));
      expect(await backend.forceFlush(1000)).toEqual({ sent: 1, dropped: {}, pending: 0 });
      expect(printed).toHaveLength(1);
      expect(printed[0]).toMatchObject({ name: 'printed', attributes: { 'app.password': '[REDACTED]' } });
    } finally {
      dir.mockRestore();
    }
  });
});
