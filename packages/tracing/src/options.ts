import type { RedactionPolicy } from '@sightline/core';

/** The samplers of the OTel spec (`OTEL_TRACES_SAMPLER`) plus Honeycomb's deterministic sampler. */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'deterministic',
] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

export const EXPORTER_NAMES = ['otlp', 'console', 'none'] as const;
/** `otlp`: OTLP/HTTP protobuf; `console`: spans printed to stdout (local development); `none`: tracing off. */
export type ExporterName = (typeof EXPORTER_NAMES)[number];

export const COMPRESSION_NAMES = ['gzip', 'none'] as const;
export type CompressionName = (typeof COMPRESSION_NAMES)[number];

export const ID_GENERATOR_NAMES = ['xray', 'random'] as const;
export type IdGeneratorName = (typeof ID_GENERATOR_NAMES)[number];

/** Honeycomb conveniences (what the sunset `@honeycombio/opentelemetry-node` gave). */
export interface HoneycombOptions {
  /** API key sent as `x-honeycomb-team`. Default: `HONEYCOMB_API_KEY`. */
  apiKey?: string;
  /** Dataset for classic keys (`x-honeycomb-dataset`). Default: `HONEYCOMB_DATASET`, else the service name. */
  dataset?: string;
  /** Honeycomb API base URL. Default: `HONEYCOMB_API_ENDPOINT`, else `https://api.honeycomb.io`. */
  endpoint?: string;
}

/** Batch span processor limits (`OTEL_BSP_*`). */
export interface TracingBatchOptions {
  /** Spans held at most; past it new spans are dropped and counted `queue_full`. Default: `OTEL_BSP_MAX_QUEUE_SIZE`, else 2048. */
  maxQueueSize?: number;
  /** Spans per export request. Default: `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, else 512 (capped at `maxQueueSize`). */
  maxExportBatchSize?: number;
  /** Delay between two scheduled exports. Default: `OTEL_BSP_SCHEDULE_DELAY`, else 5000 ms. */
  scheduledDelayMs?: number;
  /** How long the processor waits for one export. Default: `OTEL_BSP_EXPORT_TIMEOUT`, else 30000 ms. */
  exportTimeoutMs?: number;
}

/** Options of `@sightline/tracing`. Every field overrides its environment variable. */
export interface TracingOptions {
  /** `false` turns tracing off; `true` turns it on even with nothing configured (then `http://localhost:4318`). Default: on when an endpoint, a Honeycomb key or the console exporter is configured. */
  enabled?: boolean;
  /** Where spans go. Default: `OTEL_TRACES_EXPORTER`, else `otlp`. */
  exporter?: ExporterName;
  /** Collector base URL; `/v1/traces` is appended. Default: `OTEL_EXPORTER_OTLP_ENDPOINT`, else Honeycomb when a key is set. */
  endpoint?: string;
  /** Full traces URL, used as is (wins over `endpoint`). Default: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. */
  tracesEndpoint?: string;
  /** Extra request headers. Default: `OTEL_EXPORTER_OTLP_HEADERS` merged with `OTEL_EXPORTER_OTLP_TRACES_HEADERS`. */
  headers?: Record<string, string>;
  /** Body compression. Default: `OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION`, else `gzip` for remote endpoints and `none` for loopback. */
  compression?: CompressionName;
  /** Time for one export request, retries included. Default: `OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT`, else 10000 ms. */
  timeoutMs?: number;
  /**
   * PEM file of the certificate authorities trusted for an `https` collector, in place of Node's own (a
   * collector behind a private CA). Default: `OTEL_EXPORTER_OTLP_(TRACES_)CERTIFICATE`, else Node's CAs.
   */
  certificate?: string;
  /** PEM files of the client certificate and its key, for a collector that asks for one (mutual TLS). Default: `OTEL_EXPORTER_OTLP_(TRACES_)CLIENT_CERTIFICATE` and `…_CLIENT_KEY`, else none. */
  clientCertificate?: string;
  clientKey?: string;
  /** `service.name`. Default: the shared service name, then `OTEL_SERVICE_NAME`, then `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, else `unknown_service:node`. */
  serviceName?: string;
  /** `service.version`. Default: the shared service version, then `OTEL_SERVICE_VERSION`. */
  serviceVersion?: string;
  /** `deployment.environment.name`. Default: the shared environment. */
  environment?: string;
  /** Extra resource attributes (win over `OTEL_RESOURCE_ATTRIBUTES`). Default: none. */
  resourceAttributes?: Record<string, string>;
  /** Sampler. Default: `OTEL_TRACES_SAMPLER`, else `deterministic` when `HONEYCOMB_SAMPLE_RATE` is set, else `parentbased_always_on`. */
  sampler?: SamplerName;
  /** Ratio kept by `traceidratio` samplers, 0…1. Default: `OTEL_TRACES_SAMPLER_ARG`, else 1. */
  samplerRatio?: number;
  /** `deterministic` sampler: keep 1 trace in N and record `SampleRate=N`. Default: `OTEL_TRACES_SAMPLER_ARG` (with `deterministic`), else `HONEYCOMB_SAMPLE_RATE`, else 1. */
  sampleRate?: number;
  /** Trace-id layout. `xray` puts epoch seconds in the first 8 hex digits so the id is valid in X-Ray too. Default: `xray`. */
  idGenerator?: IdGeneratorName;
  /** Batch limits. */
  batch?: TracingBatchOptions;
  /** Instrumentations to register. Default: both on. */
  instrumentations?: { http?: boolean; undici?: boolean };
  /** Honeycomb settings. */
  honeycomb?: HoneycombOptions;
}

/** The resolved, fully defaulted configuration `startTracing` takes. */
export interface ResolvedTracingConfig {
  readonly enabled: boolean;
  readonly exporter: ExporterName;
  /** Full traces URL (`…/v1/traces`). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: CompressionName;
  readonly timeoutMs: number;
  /** File paths for the collector's TLS (read when tracing starts); each undefined when not set. */
  readonly tls: {
    readonly certificate: string | undefined;
    readonly clientCertificate: string | undefined;
    readonly clientKey: string | undefined;
  };
  readonly serviceName: string;
  readonly serviceVersion: string | undefined;
  readonly environment: string | undefined;
  /** `OTEL_RESOURCE_ATTRIBUTES` merged with the option (option wins). */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: SamplerName;
  readonly samplerRatio: number;
  readonly sampleRate: number;
  readonly idGenerator: IdGeneratorName;
  readonly batch: Readonly<Required<TracingBatchOptions>>;
  readonly instrumentations: Readonly<{ http: boolean; undici: boolean }>;
  /** Set when a Honeycomb key is in use. */
  readonly honeycomb: Readonly<{ apiKey: string; classic: boolean; dataset: string | undefined }> | undefined;
  readonly redaction: RedactionPolicy;
}
