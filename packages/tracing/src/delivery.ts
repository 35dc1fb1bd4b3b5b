import { type Context, TraceFlags } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type BackendReport, type Diagnostics, DropCounter, type RedactionPolicy } from '@sightline/core';
import { classifyExportError } from './exportFailures';
import { SpanRedactor } from './redactSpan';

/** Counters shared by the queue gate and the exporter wrapper: what is queued, in flight, sent, dropped. */
export class DeliveryState {
  queued = 0;
  inFlight = 0;
  sent = 0;
  /** Set when shutdown gave up: late results are no longer counted (they were counted `shutdown_timeout`). */
  frozen = false;
  readonly drops: DropCounter;

  constructor(
    readonly maxQueueSize: number,
    private readonly diag: Diagnostics,
  ) {
    this.drops = new DropCounter((reason, count) => {
      if (reason === 'queue_full') {
        this.diag.warn(
          `span queue full (${maxQueueSize} spans): new spans are dropped and counted; raise OTEL_BSP_MAX_QUEUE_SIZE or sample less`,
        );
      } else if (reason === 'after_shutdown') {
        this.diag.warn(`${count} span(s) ended after tracing shut down; they are dropped`);
      }
    });
  }

  report(): BackendReport {
    return { sent: this.sent, dropped: this.drops.snapshot(), pending: this.queued + this.inFlight };
  }

  /** `n` queued spans are handed to an export. */
  handOver(n: number): void {
    this.queued = Math.max(0, this.queued - n);
    this.inFlight += n;
  }

  /**
   * The answer for `n` spans handed over: sent, or dropped under the failure's reason (warned once per
   * kind of failure, with a hint at the fix). After a shutdown gave up, nothing more is counted.
   */
  settle(n: number, ok: boolean, error: unknown, target: ExportTarget): void {
    this.inFlight = Math.max(0, this.inFlight - n);
    if (this.frozen) return;
    if (ok) {
      this.sent += n;
      return;
    }
    const failure = classifyExportError(error, target.url, target.honeycomb);
    this.drops.add(failure.reason, n);
    this.diag.warnOnce(`export:${failure.kind}`, failure.message);
  }
}

/** Where spans are exported to, for failure messages. */
export interface ExportTarget {
  url: string;
  honeycomb: boolean;
}

/**
 * Wraps the real exporter: redacts each span before it leaves, counts what was sent and what failed
 * (by reason, warned once per kind with a hint), and always reports success to the batch processor
 * so that a failed export never becomes a rejected `forceFlush()` or an unhandled rejection.
 */
export class CountingExporter implements SpanExporter {
  private readonly redactor: SpanRedactor;
  constructor(
    private readonly inner: SpanExporter,
    private readonly state: DeliveryState,
    private readonly options: ExportTarget & { redaction: RedactionPolicy },
  ) {
    this.redactor = new SpanRedactor(options.redaction);
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const n = spans.length;
    this.state.handOver(n);
    let done = false;
    const finish = (error: unknown | undefined, ok: boolean) => {
      if (done) return;
      done = true;
      this.state.settle(n, ok, error, this.options);
      try {
        resultCallback({ code: ExportResultCode.SUCCESS });
      } catch {
        // the processor's callback must not throw into the exporter's promise chain
      }
    };
    try {
      const redacted = spans.map((s) => this.redactor.span(s));
      this.inner.export(redacted, (result) => finish(result.error, result.code === ExportResultCode.SUCCESS));
    } catch (error) {
      finish(error, false);
    }
  }

  async forceFlush(): Promise<void> {
    try {
      await this.inner.forceFlush?.();
    } catch {
      // counted in export()
    }
  }

  async shutdown(): Promise<void> {
    try {
      await this.inner.shutdown();
    } catch {
      // nothing left to count
    }
  }
}

/**
 * Sits in front of the batching processor (`EncodingBatchProcessor` for OTLP, OTel's
 * BatchSpanProcessor for the console and test exporters) and keeps the queue bound itself, so every
 * dropped span is counted by reason (BatchSpanProcessor alone only logs a debug line). The processor
 * never sees more than `maxQueueSize` spans, so it never drops on its own.
 */
export class BoundedSpanProcessor implements SpanProcessor {
  private closed = false;
  constructor(
    private readonly inner: SpanProcessor,
    private readonly state: DeliveryState,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    const state = this.state;
    if (this.closed) {
      state.drops.add('after_shutdown');
      return;
    }
    if (state.queued >= state.maxQueueSize) {
      state.drops.add('queue_full');
      return;
    }
    state.queued++;
    try {
      this.inner.onEnd(span);
    } catch {
      state.queued--;
      state.drops.add('send_failed');
    }
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    this.closed = true;
    return this.inner.shutdown();
  }
}
