import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createRedactionPolicy, defaultRedactionPolicy } from '@sightline/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  redactAttributes,
  resolveTracingConfig,
  SpanRedactor,
  startTracing,
  type TracingBackend,
  withSpan,
} from '../src/index';

describe('redactAttributes', () => {
  it('cleans URL attributes with redactUrl, masks sensitive keys, scrubs patterns, keeps numbers', () => {
    const out = redactAttributes(
      {
        'url.full': 'https://api.example.com/cb?code=1&access_token=fake-abc&page=2',
        'url.query': 'token=fake-xyz&q=cats',
        'http.target': '/login?password=hunter2',
        'http.url': 'https://user:fake-pass@example.com/x',
        'http.request.header.authorization': 'Bearer fake.token.value',
        'app.note': 'sent Bearer abcdef123456 to upstream',
        'app.tags': ['ok', 'Basic dXNlcjpwYXNz'],
        'app.result_length': 3,
        'app.flag': true,
        SampleRate: 10,
      },
      defaultRedactionPolicy,
    );
    expect(out['url.full']).toBe('https://api.example.com/cb?code=1&access_token=%5BREDACTED%5D&page=2');
    expect(out['url.query']).toBe('token=%5BREDACTED%5D&q=cats');
    expect(out['http.target']).toBe('/login?password=%5BREDACTED%5D');
    expect(out['http.url']).toBe('https://user:[REDACTED]@example.com/x');
    expect(out['http.request.header.authorization']).toBe('[REDACTED]');
    expect(out['app.note']).toBe('sent [REDACTED] to upstream');
    expect(out['app.tags']).toEqual(['ok', '[REDACTED]']);
    expect(out['app.result_length']).toBe(3);
    expect(out['app.flag']).toBe(true);
    expect(out.SampleRate).toBe(10);
  });

  it('applies user field names from the shared policy', () => {
    const policy = createRedactionPolicy({ fieldNames: ['user_handle'] });
    expect(redactAttributes({ 'app.user_handle': 'andrewbrown', 'app.other': 'x' }, policy)).toEqual({
      'app.user_handle': '[REDACTED]',
      'app.other': 'x',
    });
  });
});

describe('SpanRedactor (cached)', () => {
  it('passes a span with nothing to redact through as it is, and copies one that has something', () => {
    const redactor = new SpanRedactor(defaultRedactionPolicy);
    const span = {
      name: 'GET /items',
      status: { code: SpanStatusCode.UNSET },
      attributes: { 'url.full': 'http://h/items?page=2', 'http.response.status_code': 200, tags: ['a', 'b'] },
      events: [],
    } as unknown as Parameters<SpanRedactor['span']>[0];
    expect(redactor.span(span)).toBe(span);
    const secret = { ...span, attributes: { ...span.attributes, 'url.full': 'http://h/items?token=fake-t' } };
    const redacted = redactor.span(secret);
    expect(redacted).not.toBe(secret);
    expect(redacted.attributes).toEqual({
      'url.full': 'http://h/items?token=%5BREDACTED%5D',
      'http.response.status_code': 200,
      tags: ['a', 'b'],
    });
    expect(secret.attributes['url.full']).toBe('http://h/items?token=fake-t');
  });

  it('gives the same answers from its caches, per key kind', () => {
    const redactor = new SpanRedactor(defaultRedactionPolicy);
    const attributes = {
      'app.token': 'same-value',
      'app.note': 'same-value',
      'url.query': 'password=x',
      'app.query': 'password=x',
    };
    const first = redactor.attributes(attributes);
    const second = redactor.attributes(attributes);
    expect(second).toEqual(first);
    // Same answers as an uncached redaction, and the kind of the key still decides.
    expect(first).toEqual(redactAttributes(attributes, defaultRedactionPolicy));
    expect(first['app.token']).toBe('[REDACTED]');
    expect(first['app.note']).toBe('same-value');
    expect(first['url.query']).toBe('password=%5BREDACTED%5D');
  });
});

describe('spans are redacted before export, the live span is not', () => {
  let backend: TracingBackend | undefined;
  afterEach(async () => {
    await backend?.shutdown(1000);
    backend = undefined;
  });

  it('redacts attributes, event attributes and status message on the way out', async () => {
    const memory = new InMemorySpanExporter();
    const { config } = resolveTracingConfig(
      { enabled: true, instrumentations: { http: false, undici: false }, batch: { scheduledDelayMs: 0 } },
      {},
    );
    backend = startTracing(config, { exporter: memory });
    let liveValue: unknown;
    await expect(
      withSpan(
        'login',
        async (span) => {
          span.setAttribute('app.api_key', 'fake-key-123');
          liveValue = (span as unknown as { attributes: Record<string, unknown> }).attributes['app.api_key'];
          throw new Error('failed for Bearer fake-bearer-token');
        },
        { kind: SpanKind.SERVER },
      ),
    ).rejects.toThrow('failed for Bearer');
    await backend.forceFlush(2000);
    const [span] = memory.getFinishedSpans();
    expect(liveValue).toBe('fake-key-123');
    expect(span?.attributes['app.api_key']).toBe('[REDACTED]');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'failed for [REDACTED]' });
    expect(span?.events[0]?.attributes?.['exception.message']).toBe('failed for [REDACTED]');
    expect(String(span?.events[0]?.attributes?.['exception.stacktrace'])).not.toContain('fake-bearer-token');
  });
});
