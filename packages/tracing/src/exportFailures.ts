import type { DropReason } from '@sightline/core';

/** How one failed export is counted and explained. */
export interface ExportFailure {
  /** The drop reason the spans of the failed request are counted under. */
  reason: DropReason;
  /** Warn-once key: one warning per kind of failure. */
  kind: string;
  /** One line for the operator, with a hint at the fix. */
  message: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/**
 * Classifies an error handed back by the OTLP exporter (0.223 line). HTTP answers carry a numeric
 * `code`; network errors a string `code`; a retryable status (429/502/503/504) that outlived the
 * exporter's retries comes back as "Export failed with retryable status"; the per-request deadline
 * as "Request timed out".
 */
export function classifyExportError(error: unknown, url: string, honeycomb: boolean): ExportFailure {
  const code = field(error, 'code');
  const text = error instanceof Error ? error.message : String(error);
  if (typeof code === 'number') {
    if (code === 401 || code === 403) {
      const hint = honeycomb
        ? 'check HONEYCOMB_API_KEY (or x-honeycomb-team in OTEL_EXPORTER_OTLP_HEADERS)'
        : 'check the credentials in OTEL_EXPORTER_OTLP_HEADERS';
      return {
        reason: 'unauthorized',
        kind: 'unauthorized',
        message: `traces rejected by ${url} with ${code}: ${hint}`,
      };
    }
    if (code === 429) {
      return {
        reason: 'throttled_gave_up',
        kind: 'throttled',
        message: `traces throttled by ${url} (429): lower the volume (sampler, OTEL_TRACES_SAMPLER) or raise the quota`,
      };
    }
    if (code >= 400 && code < 500) {
      return {
        reason: 'rejected',
        kind: `http_${code}`,
        message: `traces rejected by ${url} with ${code}: check the endpoint path (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as is, OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/traces)`,
      };
    }
    return {
      reason: 'send_failed',
      kind: 'server_error',
      message: `the collector at ${url} answered ${code}; spans of that batch are dropped`,
    };
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    return {
      reason: 'send_failed',
      kind: 'unreachable',
      message: `cannot reach ${url} (${code}) after retries: is the collector running, and is OTEL_EXPORTER_OTLP_ENDPOINT right?`,
    };
  }
  if (/retryable status/i.test(text)) {
    return {
      reason: 'throttled_gave_up',
      kind: 'retries_exhausted',
      message: `${url} kept answering 429/502/503/504 until the export timeout; spans of that batch are dropped (the collector is overloaded or down)`,
    };
  }
  if (/timed out|timeout/i.test(text)) {
    return {
      reason: 'export_timeout',
      kind: 'timeout',
      message: `${url} did not answer within the export timeout: check the network path, or raise OTEL_EXPORTER_OTLP_TIMEOUT`,
    };
  }
  if (/concurrent export limit/i.test(text)) {
    return {
      reason: 'queue_full',
      kind: 'concurrency',
      message: `too many exports in flight to ${url}; spans are dropped until the collector catches up`,
    };
  }
  return { reason: 'send_failed', kind: 'other', message: `trace export to ${url} failed: ${text}` };
}
