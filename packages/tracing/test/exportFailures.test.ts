import { describe, expect, it } from 'vitest';
import { classifyExportError } from '../src/exportFailures';

const url = 'https://api.honeycomb.io/v1/traces';
const httpError = (code: number) => Object.assign(new Error(`HTTP ${code}`), { code });
const netError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('classifyExportError', () => {
  it.each([
    [httpError(401), true, 'unauthorized', 'check HONEYCOMB_API_KEY'],
    [httpError(403), false, 'unauthorized', 'check the credentials in OTEL_EXPORTER_OTLP_HEADERS'],
    [httpError(429), false, 'throttled_gave_up', 'lower the volume'],
    [httpError(404), false, 'rejected', 'check the endpoint path'],
    [httpError(500), false, 'send_failed', 'answered 500'],
    [netError('ECONNREFUSED'), false, 'send_failed', 'is the collector running'],
    [netError('ENOTFOUND'), false, 'send_failed', 'ENOTFOUND'],
    [
      new Error('Export failed with retryable status'),
      false,
      'throttled_gave_up',
      'kept answering 429/502/503/504',
    ],
    [new Error('Request timed out'), false, 'export_timeout', 'raise OTEL_EXPORTER_OTLP_TIMEOUT'],
    [new Error('Concurrent export limit reached'), false, 'queue_full', 'too many exports in flight'],
    ['something odd', false, 'send_failed', 'something odd'],
  ])('%s → %s', (error, honeycomb, reason, hint) => {
    const failure = classifyExportError(error, url, honeycomb);
    expect(failure.reason).toBe(reason);
    expect(failure.message).toContain(hint);
  });

  it('gives different warn-once kinds to different failures of the same reason', () => {
    const kinds = new Set(
      [httpError(500), netError('ECONNREFUSED'), 'odd'].map((e) => classifyExportError(e, url, false).kind),
    );
    expect(kinds.size).toBe(3);
  });
});
