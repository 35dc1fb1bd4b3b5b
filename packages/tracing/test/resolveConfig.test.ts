import { createRedactionPolicy } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { resolveTracingConfig } from '../src/resolveConfig';

const resolve = (env: Record<string, string>, options?: Parameters<typeof resolveTracingConfig>[0]) =>
  resolveTracingConfig(options, env);

describe('resolveTracingConfig: switching on and off', () => {
  it('is off with nothing configured, and falls back to the local collector URL', () => {
    const { config, problems, warnings } = resolve({});
    expect(config.enabled).toBe(false);
    expect(config.url).toBe('http://localhost:4318/v1/traces');
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('is on when OTEL_EXPORTER_OTLP_ENDPOINT, the traces endpoint, HONEYCOMB_API_KEY or the console exporter is set', () => {
    expect(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }).config.enabled).toBe(true);
    expect(resolve({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:1/t' }).config.enabled).toBe(true);
    expect(resolve({ HONEYCOMB_API_KEY: 'fake-key' }).config.enabled).toBe(true);
    expect(resolve({ OTEL_TRACES_EXPORTER: 'console' }).config.enabled).toBe(true);
    expect(resolve({}, { endpoint: 'http://127.0.0.1:1' }).config.enabled).toBe(true);
    expect(resolve({}, { enabled: true }).config.enabled).toBe(true);
  });

  it('is off with OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none, or an explicit false', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' };
    expect(resolve({ ...env, OTEL_SDK_DISABLED: 'true' }).config.enabled).toBe(false);
    expect(resolve({ ...env, OTEL_SDK_DISABLED: 'false' }).config.enabled).toBe(true);
    expect(resolve({ ...env, OTEL_TRACES_EXPORTER: 'none' }).config.enabled).toBe(false);
    expect(resolve(env, false).config.enabled).toBe(false);
    expect(resolve(env, { enabled: false }).config.enabled).toBe(false);
  });

  it('lets an explicit enabled option beat OTEL_SDK_DISABLED (option > env)', () => {
    const { config } = resolve({ OTEL_SDK_DISABLED: 'true' }, { enabled: true });
    expect(config.enabled).toBe(true);
  });
});

describe('resolveTracingConfig: endpoint, headers, compression, timeout', () => {
  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT (with or without a trailing slash)', () => {
    expect(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).config.url).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/base/' }).config.url).toBe(
      'http://collector:4318/base/v1/traces',
    );
  });

  it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, over the base endpoint', () => {
    const { config } = resolve({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom',
    });
    expect(config.url).toBe('http://traces:9999/custom');
  });

  it('prefers the endpoint options over the variables', () => {
    const env = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://env:1/x' };
    expect(resolve(env, { tracesEndpoint: 'http://opt:2/y' }).config.url).toBe('http://opt:2/y');
    expect(
      resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:1' }, { endpoint: 'http://opt:2' }).config.url,
    ).toBe('http://opt:2/v1/traces');
  });

  it('warns about an endpoint that is not a URL and keeps the default', () => {
    const { config, warnings } = resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' });
    expect(config.enabled).toBe(false);
    expect(warnings.map((w) => w.variable)).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT']);
  });

  it('parses OTEL_EXPORTER_OTLP_HEADERS (URL-decoded), lets the traces headers and the option win', () => {
    const { config } = resolve(
      {
        OTEL_EXPORTER_OTLP_HEADERS: 'X-A=1,x-b=hello%20world,x-c=env',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-c=traces',
      },
      { headers: { 'X-B': 'option' } },
    );
    expect(config.headers).toEqual({ 'x-a': '1', 'x-b': 'option', 'x-c': 'traces' });
  });

  it('compresses with gzip for remote endpoints and not for loopback, unless told', () => {
    expect(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://api.example.com' }).config.compression).toBe(
      'gzip',
    );
    expect(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).config.compression).toBe('none');
    expect(
      resolve({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      }).config.compression,
    ).toBe('gzip');
    expect(
      resolve({ OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip', OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'none' })
        .config.compression,
    ).toBe('none');
    expect(
      resolve({ OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }, { compression: 'none' }).config.compression,
    ).toBe('none');
  });

  it('accepts OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf and warns about other protocols', () => {
    expect(resolve({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }).warnings).toEqual([]);
    const grpc = resolve({
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(grpc.warnings.map((w) => w.variable)).toEqual([
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
      'OTEL_EXPORTER_OTLP_PROTOCOL',
    ]);
    expect(grpc.warnings[0]?.message).toContain('traces are sent as http/protobuf');
  });

  it('reads OTEL_EXPORTER_OTLP_TIMEOUT and the traces-specific one, warning on garbage', () => {
    expect(resolve({}).config.timeoutMs).toBe(10_000);
    expect(resolve({ OTEL_EXPORTER_OTLP_TIMEOUT: '2500' }).config.timeoutMs).toBe(2500);
    expect(
      resolve({ OTEL_EXPORTER_OTLP_TIMEOUT: '2500', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '700' }).config
        .timeoutMs,
    ).toBe(700);
    const bad = resolve({ OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' });
    expect(bad.config.timeoutMs).toBe(10_000);
    expect(bad.warnings[0]?.variable).toBe('OTEL_EXPORTER_OTLP_TIMEOUT');
  });
});

describe('resolveTracingConfig: TLS files', () => {
  it('takes each from its option, else the traces variable, else the generic one; none by default', () => {
    expect(resolve({}).config.tls).toEqual({
      certificate: undefined,
      clientCertificate: undefined,
      clientKey: undefined,
    });
    const env = {
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/etc/ca.pem',
      OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: '/etc/traces-ca.pem',
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/etc/client.pem',
      OTEL_EXPORTER_OTLP_CLIENT_KEY: '/etc/client.key',
    };
    expect(resolve(env).config.tls).toEqual({
      certificate: '/etc/traces-ca.pem',
      clientCertificate: '/etc/client.pem',
      clientKey: '/etc/client.key',
    });
    expect(resolve(env, { certificate: '/opt/ca.pem', clientKey: '/opt/key.pem' }).config.tls).toEqual({
      certificate: '/opt/ca.pem',
      clientCertificate: '/etc/client.pem',
      clientKey: '/opt/key.pem',
    });
  });

  it('lists a path option that is not a string as a problem', () => {
    const { problems } = resolve({}, { certificate: 42 as never, clientKey: {} as never });
    expect(problems.map((p) => p.path).sort()).toEqual(['tracing.certificate', 'tracing.clientKey']);
  });
});

describe('resolveTracingConfig: Honeycomb', () => {
  it('sends to Honeycomb with HONEYCOMB_API_KEY alone, no dataset header for an environment key', () => {
    const { config } = resolve({ HONEYCOMB_API_KEY: 'abcdefghijklmnopqrstuv' });
    expect(config.url).toBe('https://api.honeycomb.io/v1/traces');
    expect(config.headers).toEqual({ 'x-honeycomb-team': 'abcdefghijklmnopqrstuv' });
    expect(config.compression).toBe('gzip');
    expect(config.honeycomb).toEqual({
      apiKey: 'abcdefghijklmnopqrstuv',
      classic: false,
      dataset: undefined,
    });
  });

  it('adds x-honeycomb-dataset for a classic key (HONEYCOMB_DATASET, else the service name)', () => {
    const classic = '0123456789abcdef0123456789abcdef';
    expect(
      resolve({ HONEYCOMB_API_KEY: classic, OTEL_SERVICE_NAME: 'backend-flask' }).config.headers,
    ).toEqual({
      'x-honeycomb-team': classic,
      'x-honeycomb-dataset': 'backend-flask',
    });
    expect(
      resolve({ HONEYCOMB_API_KEY: classic, HONEYCOMB_DATASET: 'cruddur' }).config.headers,
    ).toMatchObject({
      'x-honeycomb-dataset': 'cruddur',
    });
  });

  it('accepts the Cruddur set-up: endpoint plus x-honeycomb-team in OTEL_EXPORTER_OTLP_HEADERS', () => {
    const { config } = resolve({
      OTEL_SERVICE_NAME: 'backend-flask',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://api.honeycomb.io',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-honeycomb-team=fake-team-key',
    });
    expect(config.enabled).toBe(true);
    expect(config.url).toBe('https://api.honeycomb.io/v1/traces');
    expect(config.headers).toEqual({ 'x-honeycomb-team': 'fake-team-key' });
    expect(config.serviceName).toBe('backend-flask');
  });

  it('keeps an explicit OTLP endpoint when a Honeycomb key is set, and HONEYCOMB_API_ENDPOINT moves the default', () => {
    expect(
      resolve({ HONEYCOMB_API_KEY: 'k', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }).config.url,
    ).toBe('http://127.0.0.1:9/v1/traces');
    expect(
      resolve({ HONEYCOMB_API_KEY: 'k', HONEYCOMB_API_ENDPOINT: 'https://api.eu1.honeycomb.io' }).config.url,
    ).toBe('https://api.eu1.honeycomb.io/v1/traces');
    expect(resolve({ HONEYCOMB_API_KEY: 'env' }, { honeycomb: { apiKey: 'option' } }).config.headers).toEqual(
      {
        'x-honeycomb-team': 'option',
      },
    );
  });
});

describe('resolveTracingConfig: service and resource', () => {
  it('takes the service name from option, shared, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, in that order', () => {
    const env = { OTEL_SERVICE_NAME: 'env-name', OTEL_RESOURCE_ATTRIBUTES: 'service.name=attr-name' };
    expect(
      resolveTracingConfig({ serviceName: 'opt' }, env, { serviceName: 'shared' }).config.serviceName,
    ).toBe('opt');
    expect(resolveTracingConfig({}, env, { serviceName: 'shared' }).config.serviceName).toBe('shared');
    expect(resolve(env).config.serviceName).toBe('env-name');
    expect(resolve({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=attr-name' }).config.serviceName).toBe(
      'attr-name',
    );
    expect(resolve({}).config.serviceName).toBe('unknown_service:node');
  });

  it('parses OTEL_RESOURCE_ATTRIBUTES, lets the option win, and takes version and environment from shared settings', () => {
    const { config, warnings } = resolveTracingConfig(
      { resourceAttributes: { team: 'option' } },
      { OTEL_RESOURCE_ATTRIBUTES: 'team=env,region=eu%2Dwest,broken' },
      { serviceVersion: '2.0.0', environment: 'staging' },
    );
    expect(config.resourceAttributes).toEqual({ team: 'option', region: 'eu-west' });
    expect(config.serviceVersion).toBe('2.0.0');
    expect(config.environment).toBe('staging');
    expect(warnings.map((w) => w.variable)).toEqual(['OTEL_RESOURCE_ATTRIBUTES']);
  });

  it('uses the shared redaction policy', () => {
    const redaction = createRedactionPolicy({ fieldNames: ['handle'] });
    expect(resolveTracingConfig({}, {}, { redaction }).config.redaction).toBe(redaction);
  });
});

describe('resolveTracingConfig: sampler and batching', () => {
  it('defaults to parentbased_always_on, and reads OTEL_TRACES_SAMPLER and its ratio argument', () => {
    expect(resolve({}).config.sampler).toBe('parentbased_always_on');
    const ratio = resolve({ OTEL_TRACES_SAMPLER: 'TraceIdRatio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).config;
    expect([ratio.sampler, ratio.samplerRatio]).toEqual(['traceidratio', 0.25]);
    const bad = resolve({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '4' });
    expect(bad.config.samplerRatio).toBe(1);
    expect(bad.warnings[0]?.variable).toBe('OTEL_TRACES_SAMPLER_ARG');
    const unknown = resolve({ OTEL_TRACES_SAMPLER: 'jaeger_remote' });
    expect(unknown.config.sampler).toBe('parentbased_always_on');
    expect(unknown.warnings[0]?.variable).toBe('OTEL_TRACES_SAMPLER');
  });

  it('selects the deterministic sampler from HONEYCOMB_SAMPLE_RATE, or OTEL_TRACES_SAMPLER=deterministic with the rate as argument', () => {
    const hc = resolve({ HONEYCOMB_SAMPLE_RATE: '10' }).config;
    expect([hc.sampler, hc.sampleRate]).toEqual(['deterministic', 10]);
    const otel = resolve({ OTEL_TRACES_SAMPLER: 'deterministic', OTEL_TRACES_SAMPLER_ARG: '4' }).config;
    expect([otel.sampler, otel.sampleRate]).toEqual(['deterministic', 4]);
    expect(resolve({ HONEYCOMB_SAMPLE_RATE: '10' }, { sampleRate: 3 }).config.sampleRate).toBe(3);
  });

  it('reads the OTEL_BSP_* limits, caps the batch at the queue, and warns on invalid values', () => {
    const { config, warnings } = resolve({
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '500',
      OTEL_BSP_SCHEDULE_DELAY: '250',
      OTEL_BSP_EXPORT_TIMEOUT: 'x',
    });
    expect(config.batch).toEqual({
      maxQueueSize: 100,
      maxExportBatchSize: 100,
      scheduledDelayMs: 250,
      exportTimeoutMs: 30_000,
    });
    expect(warnings.map((w) => w.variable)).toEqual(['OTEL_BSP_EXPORT_TIMEOUT']);
    expect(resolve({}).config.batch).toEqual({
      maxQueueSize: 2048,
      maxExportBatchSize: 512,
      scheduledDelayMs: 5000,
      exportTimeoutMs: 30_000,
    });
    expect(
      resolve({ OTEL_BSP_MAX_QUEUE_SIZE: '100' }, { batch: { maxQueueSize: 0 + 7 } }).config.batch
        .maxQueueSize,
    ).toBe(7);
  });

  it('keeps a 0 delay from the option (?? not ||)', () => {
    expect(
      resolve({ OTEL_BSP_SCHEDULE_DELAY: '900' }, { batch: { scheduledDelayMs: 0 } }).config.batch
        .scheduledDelayMs,
    ).toBe(0);
  });
});

describe('resolveTracingConfig: invalid options are problems with tracing. paths', () => {
  it('lists every invalid option and still resolves', () => {
    const { problems, config } = resolveTracingConfig(
      {
        endpoint: 'not a url',
        sampler: 'sometimes' as never,
        samplerRatio: 2,
        sampleRate: 0.5,
        batch: { maxQueueSize: -1 },
        headers: { 'x-a': 1 as never },
        instrumentations: { http: 'yes' as never },
        honeycomb: { apiKey: '' },
      },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
    );
    expect(problems.map((p) => p.path).sort()).toEqual(
      [
        'tracing.batch.maxQueueSize',
        'tracing.endpoint',
        'tracing.headers.x-a',
        'tracing.honeycomb.apiKey',
        'tracing.instrumentations.http',
        'tracing.sampleRate',
        'tracing.samplerRatio',
        'tracing.sampler',
      ].sort(),
    );
    expect(config.url).toBe('http://127.0.0.1:4318/v1/traces');
  });
});
