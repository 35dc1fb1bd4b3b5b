import type { ExportResult } from '@opentelemetry/core';

/** What the lazily loaded exporter is made from: OpenTelemetry's OTLP/HTTP transport and our serializer. */
export interface OtlpHttpOptions {
  url: string;
  headers: Record<string, string>;
  compression: 'gzip' | 'none';
  timeoutMillis: number;
}

/** An export request already written (`SpanBatchEncoder.take()`); `length` is its number of spans. */
export interface EncodedBatch {
  readonly bytes: Uint8Array;
  readonly length: number;
}

/** Sends encoded batches: OpenTelemetry's OTLP/HTTP transport, or a test's fake. */
export interface BatchTransport {
  export(batch: EncodedBatch, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

type ExporterBase = typeof import('@opentelemetry/otlp-exporter-base');
type NodeHttp = typeof import('@opentelemetry/otlp-exporter-base/node-http');
type Transformer = typeof import('@opentelemetry/otlp-transformer');

/**
 * An OTLP/HTTP protobuf exporter: OpenTelemetry's transport (retries, timeout, gzip, the bound on
 * exports in flight, partial-success handling), sending batches `otlpProtobuf.ts` encoded as their spans
 * ended. `load` is `require`: the transport is loaded with the first batch, never at start-up.
 */
export function createOtlpHttpExporter(
  options: OtlpHttpOptions,
  load: (id: string) => unknown,
): BatchTransport {
  const base = load('@opentelemetry/otlp-exporter-base') as ExporterBase;
  const http = load('@opentelemetry/otlp-exporter-base/node-http') as NodeHttp;
  const transformer = load('@opentelemetry/otlp-transformer') as Transformer;
  const serializer = {
    serializeRequest: (batch: EncodedBatch): Uint8Array => batch.bytes,
    deserializeResponse: transformer.ProtobufTraceSerializer.deserializeResponse,
  };
  const delegate = http.createOtlpHttpExportDelegate(
    http.convertLegacyHttpOptions(
      // CompressionAlgorithm is an enum of these very strings.
      options as Parameters<NodeHttp['convertLegacyHttpOptions']>[0],
      'TRACES',
      'v1/traces',
      { 'Content-Type': 'application/x-protobuf' },
    ),
    serializer,
    // The component type OpenTelemetry's own OTLP/HTTP span exporter reports in its self-metrics.
    'otlp_http_span_exporter',
    // What the transport's self-metrics count: spans, a batch's `length`.
    { name: 'span' as const, countItems: (batch: EncodedBatch) => batch.length },
    undefined, // no meter provider: self-metrics go to the API's no-op meter, as OpenTelemetry's exporter's do by default
  );
  return new base.OTLPExporterBase(delegate);
}
