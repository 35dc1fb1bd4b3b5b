import {
  defaultRedactionPolicy,
  type Env,
  EnvReader,
  isLoopbackUrl,
  OptionChecker,
  type Resolution,
  type SharedSettings,
} from '@sightline/core';
import {
  COMPRESSION_NAMES,
  EXPORTER_NAMES,
  ID_GENERATOR_NAMES,
  type ResolvedTracingConfig,
  SAMPLER_NAMES,
  type TracingOptions,
} from './options';

export const DEFAULT_LOCAL_ENDPOINT = 'http://localhost:4318';
export const HONEYCOMB_ENDPOINT = 'https://api.honeycomb.io';
const TRACES_PATH = '/v1/traces';

/**
 * Classic (pre-environment) Honeycomb keys: 32 hex digits, or the 64-character ingest form
 * `hc<x>ic_…`. Same test as Honeycomb's own distribution (`isClassic` in honeycomb-opentelemetry-node).
 */
export function isClassicHoneycombKey(key: string): boolean {
  if (key.length === 32) return /^[a-f0-9]*$/.test(key);
  if (key.length === 64) return /^hc[a-z]ic_[a-z0-9]*$/.test(key);
  return false;
}

/** `https://host:4318` or `https://host:4318/` → `https://host:4318/v1/traces` (OTLP exporter spec). */
export function appendTracesPath(base: string): string {
  return `${base.replace(/\/+$/, '')}${TRACES_PATH}`;
}

function lowerKeys(record: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/**
 * Resolves the tracing configuration: explicit option > environment variable > default. Pure: never
 * throws, never reads `process.env` itself; invalid options are `problems`, invalid env values `warnings`.
 */
export function resolveTracingConfig(
  options: TracingOptions | false | undefined,
  env: Env,
  shared: SharedSettings = {},
): Resolution<ResolvedTracingConfig> {
  const read = new EnvReader(env);
  const check = new OptionChecker([], 'tracing');
  const opts: TracingOptions = options === false ? { enabled: false } : (options ?? {});
  if (options !== false && options !== undefined && (typeof options !== 'object' || options === null)) {
    new OptionChecker(check.problems).problem('tracing', 'an options object or false', options);
  }

  const optEnabled = check.boolean('enabled', opts.enabled);
  const optExporter = check.oneOf('exporter', opts.exporter, EXPORTER_NAMES);
  const optEndpoint = check.url('endpoint', opts.endpoint);
  const optTracesEndpoint = check.url('tracesEndpoint', opts.tracesEndpoint);
  const optHeaders = check.stringRecord('headers', opts.headers);
  const optCompression = check.oneOf('compression', opts.compression, COMPRESSION_NAMES);
  const optTimeout = check.number('timeoutMs', opts.timeoutMs, { integer: true, min: 1 });
  const optCertificate = check.string('certificate', opts.certificate);
  const optClientCertificate = check.string('clientCertificate', opts.clientCertificate);
  const optClientKey = check.string('clientKey', opts.clientKey);
  const optServiceName = check.string('serviceName', opts.serviceName);
  const optServiceVersion = check.string('serviceVersion', opts.serviceVersion);
  const optEnvironment = check.string('environment', opts.environment);
  const optResource = check.stringRecord('resourceAttributes', opts.resourceAttributes);
  const optSampler = check.oneOf('sampler', opts.sampler, SAMPLER_NAMES);
  const optRatio = check.number('samplerRatio', opts.samplerRatio, { min: 0, max: 1 });
  const optSampleRate = check.number('sampleRate', opts.sampleRate, { integer: true, min: 1 });
  const optIdGenerator = check.oneOf('idGenerator', opts.idGenerator, ID_GENERATOR_NAMES);
  const batchCheck = check.at('batch');
  const batch = opts.batch ?? {};
  const optMaxQueue = batchCheck.number('maxQueueSize', batch.maxQueueSize, { integer: true, min: 1 });
  const optMaxBatch = batchCheck.number('maxExportBatchSize', batch.maxExportBatchSize, {
    integer: true,
    min: 1,
  });
  const optDelay = batchCheck.number('scheduledDelayMs', batch.scheduledDelayMs, { integer: true, min: 0 });
  const optBspTimeout = batchCheck.number('exportTimeoutMs', batch.exportTimeoutMs, {
    integer: true,
    min: 1,
  });
  const instCheck = check.at('instrumentations');
  const optHttp = instCheck.boolean('http', opts.instrumentations?.http);
  const optUndici = instCheck.boolean('undici', opts.instrumentations?.undici);
  const hcCheck = check.at('honeycomb');
  const optHcKey = hcCheck.string('apiKey', opts.honeycomb?.apiKey);
  const optHcDataset = hcCheck.string('dataset', opts.honeycomb?.dataset);
  const optHcEndpoint = hcCheck.url('endpoint', opts.honeycomb?.endpoint);

  const sdkDisabled = read.boolean('OTEL_SDK_DISABLED', false) === true;
  // Only OTLP/HTTP protobuf is shipped (no gRPC, no JSON): say so rather than silently ignore it.
  for (const variable of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const protocol = read.string(variable);
    if (protocol !== undefined && protocol.toLowerCase() !== 'http/protobuf') {
      read.warnings.push({
        variable,
        message: `${variable}=${JSON.stringify(protocol)} is not supported; traces are sent as http/protobuf`,
      });
    }
  }
  const exporter = optExporter ?? read.oneOf('OTEL_TRACES_EXPORTER', EXPORTER_NAMES, 'otlp') ?? 'otlp';

  // Endpoint: the signal-specific URL is used as is; a base URL gets /v1/traces (OTLP exporter spec).
  const hcKey = optHcKey ?? read.string('HONEYCOMB_API_KEY');
  const tracesUrl = optTracesEndpoint ?? read.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseUrl = optEndpoint ?? read.url('OTEL_EXPORTER_OTLP_ENDPOINT');
  const hcBase = optHcEndpoint ?? read.url('HONEYCOMB_API_ENDPOINT') ?? HONEYCOMB_ENDPOINT;
  const configuredUrl =
    tracesUrl ??
    (baseUrl !== undefined ? appendTracesPath(baseUrl) : undefined) ??
    (hcKey !== undefined ? appendTracesPath(hcBase) : undefined);
  const url = configuredUrl ?? appendTracesPath(DEFAULT_LOCAL_ENDPOINT);

  const serviceNameFromResource = read.keyValueList('OTEL_RESOURCE_ATTRIBUTES') ?? {};
  const serviceName =
    optServiceName ??
    shared.serviceName ??
    read.string('OTEL_SERVICE_NAME') ??
    serviceNameFromResource['service.name'] ??
    'unknown_service:node';

  // Headers: generic < signal-specific < option; the Honeycomb key only when no team header is set.
  const headers: Record<string, string> = {
    ...lowerKeys(read.keyValueList('OTEL_EXPORTER_OTLP_HEADERS')),
    ...lowerKeys(read.keyValueList('OTEL_EXPORTER_OTLP_TRACES_HEADERS')),
    ...lowerKeys(optHeaders),
  };
  let honeycomb: ResolvedTracingConfig['honeycomb'];
  const teamKey = hcKey ?? headers['x-honeycomb-team'];
  if (teamKey !== undefined) {
    headers['x-honeycomb-team'] ??= teamKey;
    const classic = isClassicHoneycombKey(teamKey);
    const dataset = classic
      ? (optHcDataset ?? read.string('HONEYCOMB_DATASET') ?? headers['x-honeycomb-dataset'] ?? serviceName)
      : undefined;
    // Honeycomb documents the dataset header for classic keys only; environment keys route by service.name.
    if (dataset !== undefined) headers['x-honeycomb-dataset'] ??= dataset;
    honeycomb = { apiKey: teamKey, classic, dataset };
  }

  const compression =
    optCompression ??
    read.oneOf('OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', COMPRESSION_NAMES) ??
    read.oneOf('OTEL_EXPORTER_OTLP_COMPRESSION', COMPRESSION_NAMES) ??
    (isLoopbackUrl(url) ? 'none' : 'gzip');
  const timeoutMs =
    optTimeout ??
    read.number('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', { integer: true, min: 1 }) ??
    read.number('OTEL_EXPORTER_OTLP_TIMEOUT', { integer: true, min: 1 }) ??
    10_000;
  // The traces variable wins over the generic one, as for the endpoint, headers and timeout.
  const tlsFile = (option: string | undefined, name: string) =>
    option ?? read.string(`OTEL_EXPORTER_OTLP_TRACES_${name}`) ?? read.string(`OTEL_EXPORTER_OTLP_${name}`);
  const tls = {
    certificate: tlsFile(optCertificate, 'CERTIFICATE'),
    clientCertificate: tlsFile(optClientCertificate, 'CLIENT_CERTIFICATE'),
    clientKey: tlsFile(optClientKey, 'CLIENT_KEY'),
  };

  const honeycombRate = read.number('HONEYCOMB_SAMPLE_RATE', { integer: true, min: 1 });
  const sampler =
    optSampler ??
    read.oneOf('OTEL_TRACES_SAMPLER', SAMPLER_NAMES) ??
    (honeycombRate !== undefined ? 'deterministic' : 'parentbased_always_on');
  // OTEL_TRACES_SAMPLER_ARG means a ratio for the *traceidratio samplers and a rate (1 in N) for deterministic.
  const envSamplerName = read.string('OTEL_TRACES_SAMPLER')?.toLowerCase();
  const argIsRate = envSamplerName === 'deterministic';
  const samplerRatio =
    optRatio ??
    (!argIsRate && sampler.endsWith('traceidratio')
      ? read.number('OTEL_TRACES_SAMPLER_ARG', { min: 0, max: 1 }, 1)
      : undefined) ??
    1;
  const sampleRate =
    optSampleRate ??
    (argIsRate ? read.number('OTEL_TRACES_SAMPLER_ARG', { integer: true, min: 1 }) : undefined) ??
    honeycombRate ??
    1;

  const maxQueueSize =
    optMaxQueue ?? read.number('OTEL_BSP_MAX_QUEUE_SIZE', { integer: true, min: 1 }, 2048) ?? 2048;
  const maxBatchRaw =
    optMaxBatch ?? read.number('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', { integer: true, min: 1 }, 512) ?? 512;
  const scheduledDelayMs =
    optDelay ?? read.number('OTEL_BSP_SCHEDULE_DELAY', { integer: true, min: 0 }, 5000) ?? 5000;
  const bspTimeout =
    optBspTimeout ?? read.number('OTEL_BSP_EXPORT_TIMEOUT', { integer: true, min: 1 }, 30_000) ?? 30_000;

  const configured = configuredUrl !== undefined || teamKey !== undefined || exporter === 'console';
  const enabled = optEnabled ?? (!sdkDisabled && exporter !== 'none' && configured);

  const { 'service.name': _ignored, ...envResource } = serviceNameFromResource;
  const config: ResolvedTracingConfig = {
    enabled,
    exporter: enabled && exporter === 'none' ? 'otlp' : exporter,
    url,
    headers,
    compression,
    timeoutMs,
    tls,
    serviceName,
    serviceVersion:
      optServiceVersion ??
      shared.serviceVersion ??
      read.string('OTEL_SERVICE_VERSION') ??
      serviceNameFromResource['service.version'],
    environment:
      optEnvironment ?? shared.environment ?? serviceNameFromResource['deployment.environment.name'],
    resourceAttributes: { ...envResource, ...optResource },
    sampler,
    samplerRatio,
    sampleRate,
    idGenerator: optIdGenerator ?? 'xray',
    batch: {
      maxQueueSize,
      // The batch cannot be larger than the queue (BatchSpanProcessor caps it the same way).
      maxExportBatchSize: Math.min(maxBatchRaw, maxQueueSize),
      scheduledDelayMs,
      exportTimeoutMs: bspTimeout,
    },
    instrumentations: { http: optHttp ?? true, undici: optUndici ?? true },
    honeycomb,
    redaction: shared.redaction ?? defaultRedactionPolicy,
  };
  return { config, problems: check.problems, warnings: read.warnings };
}
