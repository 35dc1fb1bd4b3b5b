import { isSensitiveHeader, maskSecret, redactUrl } from '@sightline/core';
import type { ResolvedTracingConfig } from './options';

/**
 * The start-up line: where spans go, compression, headers (secrets masked: `x-honeycomb-team=****abcd`),
 * service, sampler and batching.
 */
export function describeTracing(config: ResolvedTracingConfig): string {
  if (!config.enabled) return 'tracing: off';
  const service = `service ${config.serviceName}${config.serviceVersion ? `@${config.serviceVersion}` : ''}`;
  const where =
    config.exporter === 'console'
      ? 'console exporter (stdout)'
      : `OTLP/HTTP protobuf → ${redactUrl(config.url, config.redaction)} (${config.compression})`;
  const headers = Object.entries(config.headers).map(
    ([k, v]) =>
      `${k}=${isSensitiveHeader(k, config.redaction) || k === 'x-honeycomb-team' ? maskSecret(v) : v}`,
  );
  const honeycomb =
    config.honeycomb === undefined
      ? ''
      : `, honeycomb ${config.honeycomb.classic ? `classic key, dataset ${config.honeycomb.dataset}` : 'environment key'}`;
  const b = config.batch;
  return [
    `tracing: ${where}`,
    headers.length > 0 ? `headers ${headers.join(' ')}` : undefined,
    `${service}${honeycomb}`,
    `sampler ${describeSampler(config)}`,
    `batch ${b.maxExportBatchSize}/${b.maxQueueSize} spans every ${b.scheduledDelayMs} ms`,
    `ids ${config.idGenerator}`,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
}

/** A short description for the start-up line: `parentbased_always_on`, `traceidratio(0.25)`, `deterministic(1 in 10)`. */
export function describeSampler(
  config: Pick<ResolvedTracingConfig, 'sampler' | 'samplerRatio' | 'sampleRate'>,
): string {
  if (config.sampler === 'deterministic') return `deterministic(1 in ${config.sampleRate})`;
  if (config.sampler.endsWith('traceidratio')) return `${config.sampler}(${config.samplerRatio})`;
  return config.sampler;
}
