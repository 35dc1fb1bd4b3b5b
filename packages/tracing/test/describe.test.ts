import { describe, expect, it } from 'vitest';
import { describeTracing } from '../src/describe';
import { resolveTracingConfig } from '../src/resolveConfig';

describe('describeTracing (the start-up line)', () => {
  it('names where spans go, the service, sampler and batching, with the key masked', () => {
    const key = 'fakeHoneycombEnvKey1234';
    const { config } = resolveTracingConfig(undefined, {
      HONEYCOMB_API_KEY: key,
      OTEL_SERVICE_NAME: 'backend-flask',
      HONEYCOMB_SAMPLE_RATE: '5',
    });
    const line = describeTracing(config);
    expect(line).toBe(
      'tracing: OTLP/HTTP protobuf → https://api.honeycomb.io/v1/traces (gzip), headers x-honeycomb-team=****1234, ' +
        'service backend-flask, honeycomb environment key, sampler deterministic(1 in 5), batch 512/2048 spans every 5000 ms, ids xray',
    );
    expect(line).not.toContain(key);
  });

  it('masks credentials in a generic collector URL and sensitive headers, and shows the console exporter', () => {
    const { config } = resolveTracingConfig(undefined, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:fake-pass@collector.example.com',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer fake-token-value-123456,x-tenant=cruddur',
    });
    const line = describeTracing(config);
    expect(line).toContain('https://user:[REDACTED]@collector.example.com/v1/traces');
    expect(line).toContain('authorization=****3456');
    expect(line).toContain('x-tenant=cruddur');
    expect(line).not.toContain('fake-pass');
    const consoleLine = describeTracing(
      resolveTracingConfig(undefined, { OTEL_TRACES_EXPORTER: 'console' }).config,
    );
    expect(consoleLine).toMatch(/^tracing: console exporter \(stdout\)/);
    expect(describeTracing(resolveTracingConfig(undefined, {}).config)).toBe('tracing: off');
  });
});
