import { context } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type Diagnostics, type RedactionPolicy, TurnQueue } from '@sightline/core';
import type { DeliveryState, ExportTarget } from './delivery';
import type { BatchTransport, EncodedBatch } from './otlpExporter';
import { SpanBatchEncoder } from './otlpProtobuf';
import { SpanRedactor } from './redactSpan';

export interface EncodingBatchOptions extends ExportTarget {
  maxExportBatchSize: number;
  scheduledDelayMs: number;
  /** A batch whose export has not answered by then is counted failed, and the next one goes. */
  exportTimeoutMs: number;
  redaction: RedactionPolicy;
  diag: Diagnostics;
}

/** Ended spans waiting for the end of the turn; past this many they are encoded at once. */
const MAX_ENDED_PER_TURN = 1024;

/**
 * BatchSpanProcessor's place when spans go to an OTLP endpoint, behind `BoundedSpanProcessor` (which
 * bounds the queue and counts it): each span is redacted and encoded to protobuf at the end of the
 * event-loop turn it ended in, so a batch waiting for export is bytes, not span objects. Waiting spans
 * were most of what the garbage collector copied and promoted on a busy service (they live until the
 * batch leaves, often past two young-generation collections); encoding early costs the same as
 * encoding at export.
 *
 * Same schedule as BatchSpanProcessor: a batch leaves when it holds `maxExportBatchSize` spans or
 * `scheduledDelayMs` after its first span, one export at a time, in order; `forceFlush()` sends
 * everything and waits for the answers. Every outcome is counted in `DeliveryState`, as
 * `CountingExporter` counts the other exporters'.
 */
export class EncodingBatchProcessor implements SpanProcessor {
  private readonly encoder = new SpanBatchEncoder();
  private readonly redactor: SpanRedactor;
  /** Sealed batches, oldest first. */
  private readonly ready: EncodedBatch[] = [];
  private exporting = false;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];
  private transport: BatchTransport | undefined;
  private shutdownOnce: Promise<void> | undefined;

  constructor(
    private readonly createTransport: () => BatchTransport,
    private readonly state: DeliveryState,
    private readonly options: EncodingBatchOptions,
  ) {
    this.redactor = new SpanRedactor(options.redaction);
  }

  /**
   * Spans ended in this event-loop turn, encoded together at its end rather than each where it ends
   * (in the response's 'close', for a server span): see `TurnQueue`. Counted as queued meanwhile.
   */
  private readonly ended = new TurnQueue<ReadableSpan>((span) => this.encode(span), MAX_ENDED_PER_TURN);

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    this.ended.push(span);
  }

  private encode(span: ReadableSpan): void {
    try {
      this.encoder.add(this.redactor.span(span));
    } catch (error) {
      this.lose(1, 'a span could not be encoded', error);
      return;
    }
    if (this.encoder.count >= this.options.maxExportBatchSize) {
      this.seal();
      this.pump();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.seal();
        this.pump();
      }, this.options.scheduledDelayMs);
      this.timer.unref();
    }
  }

  /** Sends every span ended so far and resolves once each batch was answered (or timed out). */
  forceFlush(): Promise<void> {
    this.ended.drain();
    this.seal();
    const drained = new Promise<void>((resolve) => this.idle.push(resolve));
    this.pump();
    return drained;
  }

  shutdown(): Promise<void> {
    this.shutdownOnce ??= this.forceFlush().then(async () => {
      try {
        await this.transport?.shutdown();
      } catch {
        // nothing left to count
      }
    });
    return this.shutdownOnce;
  }

  /** Moves the spans encoded so far into a batch of their own. */
  private seal(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const n = this.encoder.count;
    if (n === 0) return;
    try {
      this.ready.push({ bytes: this.encoder.take(), length: n });
    } catch (error) {
      this.lose(n, 'a batch could not be encoded', error);
    }
  }

  /** Exports the oldest sealed batch unless one is already on its way; resolves flushes once all are done. */
  private pump(): void {
    if (this.exporting) return;
    const batch = this.ready.shift();
    if (batch === undefined) {
      const waiting = this.idle;
      this.idle = [];
      for (const resolve of waiting) resolve();
      return;
    }
    this.exporting = true;
    const n = batch.length;
    this.state.handOver(n);
    let answered = false;
    const finish = (ok: boolean, error: unknown) => {
      if (answered) return;
      answered = true;
      clearTimeout(deadline);
      this.state.settle(n, ok, error, this.options);
      this.exporting = false;
      this.pump();
    };
    const deadline = setTimeout(
      () => finish(false, new Error('export timed out')),
      this.options.exportTimeoutMs,
    );
    deadline.unref();
    try {
      this.transport ??= this.createTransport();
      const transport = this.transport;
      // The export's own HTTP request must not become a client span of this very pipeline.
      context.with(suppressTracing(context.active()), () =>
        transport.export(batch, (result) => finish(result.code === ExportResultCode.SUCCESS, result.error)),
      );
    } catch (error) {
      finish(false, error);
    }
  }

  private lose(n: number, what: string, error: unknown): void {
    this.state.queued = Math.max(0, this.state.queued - n);
    this.state.drops.add('invalid', n);
    this.options.diag.warnOnce(`encode:${what}`, `${what} and is dropped: ${String(error)}`);
  }
}
