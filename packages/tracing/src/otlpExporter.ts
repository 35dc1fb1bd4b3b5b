import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ProtoWriter, writeTraceRequest } from './otlpProtobuf';

/** What the lazily loaded exporter is made from: OpenTelemetry's OTLP/HTTP transport and our serializer. */
export interface OtlpHttpOptions {
  url: string;
  headers: Record<string, string>;
  compression: 'gzip' | 'none';
  timeoutMillis: number;
}

type ExporterBase = typeof import('@opentelemetry/otlp-exporter-base');
type NodeHttp = typeof import('@opentelemetry/otlp-exporter-base/node-http');
type Transformer = typeof import('@opentelemetry/otlp-transformer');

/**
 * An OTLP/HTTP protobuf span exporter: OpenTelemetry's transport (retries, timeout, gzip, concurrency
 * bound, partial-success handling) with our serializer (`otlpProtobuf.ts`). `load` is `require`: the
 * transport is loaded with the first batch, never at start-up.
 */
export function createOtlpHttpExporter(
  options: OtlpHttpOptions,
  load: (id: string) => unknown,
): SpanExporter {
  const base = load('@opentelemetry/otlp-exporter-base') as ExporterBase;
  const http = load('@opentelemetry/otlp-exporter-base/node-http') as NodeHttp;
  const transformer = load('@opentelemetry/otlp-transformer') as Transformer;
  const writer = new ProtoWriter();
  const serializer = {
    serializeRequest(spans: ReadableSpan[]): Uint8Array {
      try {
        writeTraceRequest(writer, spans);
        return writer.take();
      } finally {
        writer.pos = 0;
      }
    },
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
    transformer.TraceExporterMetricsHelper,
    undefined, // no meter provider: self-metrics go to the API's no-op meter, as OpenTelemetry's exporter's do by default
  );
  return new base.OTLPExporterBase(delegate);
}
