import type { ExportResult } from '@opentelemetry/core';

/** An export request already written (`SpanBatchEncoder.take()`); `length` is its number of spans. */
export interface EncodedBatch {
  readonly bytes: Uint8Array;
  readonly length: number;
}

/** Sends encoded batches: `createOtlpHttpTransport`, or a test's fake. */
export interface BatchTransport {
  export(batch: EncodedBatch, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}
