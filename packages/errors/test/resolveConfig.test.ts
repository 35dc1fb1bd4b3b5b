import { createRedactionPolicy, defaultRedactionPolicy } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, ERRORS_DEFAULTS, resolveErrorsConfig } from '../src/index';

const TOKEN = 'fake-token-0123456789abcdef';

describe('resolveErrorsConfig', () => {
  it('is off and silent with nothing configured', () => {
    const { config, problems, warnings } = resolveErrorsConfig(undefined, {});
    expect(config.enabled).toBe(false);
    expect(config.disabledReason).toBe('no ROLLBAR_ACCESS_TOKEN');
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('is off with one notice when there is intent but no token', () => {
    const fromOptions = resolveErrorsConfig({ environment: 'staging' }, {});
    const fromEnv = resolveErrorsConfig(undefined, { ROLLBAR_ENVIRONMENT: 'staging' });
    for (const r of [fromOptions, fromEnv]) {
      expect(r.config.enabled).toBe(false);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]?.variable).toBe('ROLLBAR_ACCESS_TOKEN');
    }
  });

  it('turns on with ROLLBAR_ACCESS_TOKEN and fills the defaults', () => {
    const { config } = resolveErrorsConfig(undefined, { ROLLBAR_ACCESS_TOKEN: TOKEN });
    expect(config).toMatchObject({
      enabled: true,
      accessToken: TOKEN,
      environment: 'production',
      endpoint: DEFAULT_ENDPOINT,
      itemsPerMinute: 60,
      maxQueueSize: ERRORS_DEFAULTS.maxQueueSize,
      captureProcessErrors: false,
      captureIp: true,
    });
    expect(config.redaction).toBe(defaultRedactionPolicy);
  });

  it('false turns it off even with a token', () => {
    const { config } = resolveErrorsConfig(false, { ROLLBAR_ACCESS_TOKEN: TOKEN });
    expect(config.enabled).toBe(false);
    expect(config.disabledReason).toBe('turned off by option');
  });

  it('option > environment variable > shared settings > default', () => {
    const env = {
      ROLLBAR_ACCESS_TOKEN: 'env-token-0000000000000',
      ROLLBAR_ENVIRONMENT: 'env-environment',
      NODE_ENV: 'development',
      ROLLBAR_CODE_VERSION: 'env-version',
      ROLLBAR_ENDPOINT: 'http://127.0.0.1:9/api/1/item/',
      SIGHTLINE_ROLLBAR_ITEMS_PER_MINUTE: '10',
    };
    const shared = { environment: 'shared-env', serviceVersion: '9.9.9', serviceName: 'svc' };
    const fromOptions = resolveErrorsConfig(
      { accessToken: TOKEN, environment: 'opt-env', codeVersion: 'opt-v', itemsPerMinute: 0 + 5 },
      env,
      shared,
    ).config;
    expect(fromOptions).toMatchObject({
      accessToken: TOKEN,
      environment: 'opt-env',
      codeVersion: 'opt-v',
      itemsPerMinute: 5,
    });
    const fromEnv = resolveErrorsConfig(undefined, env, shared).config;
    expect(fromEnv).toMatchObject({
      environment: 'env-environment',
      codeVersion: 'env-version',
      endpoint: 'http://127.0.0.1:9/api/1/item/',
      itemsPerMinute: 10,
    });
    const fromShared = resolveErrorsConfig(
      undefined,
      { ROLLBAR_ACCESS_TOKEN: TOKEN, NODE_ENV: 'development' },
      shared,
    ).config;
    expect(fromShared).toMatchObject({ environment: 'shared-env', codeVersion: '9.9.9' });
    expect(fromShared.links.dataset).toBe('svc');
    const fromNodeEnv = resolveErrorsConfig(undefined, {
      ROLLBAR_ACCESS_TOKEN: TOKEN,
      NODE_ENV: 'development',
    }).config;
    expect(fromNodeEnv.environment).toBe('development');
  });

  it('uses the shared redaction policy', () => {
    const policy = createRedactionPolicy({ fieldNames: ['ssn'] });
    expect(resolveErrorsConfig(undefined, {}, { redaction: policy }).config.redaction).toBe(policy);
  });

  it('returns invalid options as problems under errors.*', () => {
    const { problems, config } = resolveErrorsConfig(
      {
        accessToken: '',
        endpoint: 'ftp://nope',
        itemsPerMinute: -1,
        maxRetries: 1.5,
        scrubFields: ['ok', 3] as unknown as string[],
        links: { xrayTrace: 42 as unknown as string },
        onReported: 'nope' as unknown as () => void,
      },
      {},
    );
    expect(problems.map((p) => p.path)).toEqual([
      'errors.accessToken',
      'errors.endpoint',
      'errors.itemsPerMinute',
      'errors.maxRetries',
      'errors.scrubFields',
      'errors.links.xrayTrace',
      'errors.onReported',
    ]);
    expect(config.enabled).toBe(false);
    expect(resolveErrorsConfig('yes' as never, {}).problems[0]?.path).toBe('errors');
  });

  it('warns about an invalid environment value and keeps the default', () => {
    const { config, warnings } = resolveErrorsConfig(undefined, {
      ROLLBAR_ACCESS_TOKEN: TOKEN,
      ROLLBAR_ENDPOINT: 'not a url',
      SIGHTLINE_ROLLBAR_ITEMS_PER_MINUTE: 'lots',
    });
    expect(config.endpoint).toBe(DEFAULT_ENDPOINT);
    expect(config.itemsPerMinute).toBe(60);
    expect(warnings.map((w) => w.variable)).toEqual([
      'ROLLBAR_ENDPOINT',
      'SIGHTLINE_ROLLBAR_ITEMS_PER_MINUTE',
    ]);
  });

  it('link templates: defaults, env overrides, false for none; team and region from env', () => {
    const { config } = resolveErrorsConfig(
      { links: { xrayTrace: false } },
      {
        ROLLBAR_ACCESS_TOKEN: TOKEN,
        SIGHTLINE_ROLLBAR_HONEYCOMB_LINK: 'https://hny.example/{team}/{trace_id}',
        SIGHTLINE_HONEYCOMB_TEAM: 'cruddur',
        AWS_DEFAULT_REGION: 'eu-west-1',
      },
    );
    expect(config.links).toEqual({
      honeycombTrace: 'https://hny.example/{team}/{trace_id}',
      xrayTrace: undefined,
      team: 'cruddur',
      dataset: undefined,
      region: 'eu-west-1',
    });
  });

  it('describes itself with the token masked', async () => {
    const { createErrorReporter } = await import('../src/index');
    const { config } = resolveErrorsConfig(undefined, { ROLLBAR_ACCESS_TOKEN: TOKEN });
    const reporter = createErrorReporter(config);
    const line = reporter.describe();
    await reporter.shutdown(0);
    expect(line).toBe(
      `errors: Rollbar → ${DEFAULT_ENDPOINT} (environment=production, token=****cdef, items/min=60, process capture=off)`,
    );
    expect(line).not.toContain(TOKEN);
    const proxied = createErrorReporter(
      resolveErrorsConfig(
        { endpoint: 'https://user:hunter2@proxy.internal/api/1/item/' },
        { ROLLBAR_ACCESS_TOKEN: TOKEN },
      ).config,
    );
    const proxiedLine = proxied.describe();
    await proxied.shutdown(0);
    expect(proxiedLine).toContain('https://user:[REDACTED]@proxy.internal/api/1/item/');
  });
});
