import { SightlineConfigError } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import {
  initObservability,
  type ObservabilityOptions,
  resolveCommonConfig,
  resolveConfig,
} from '../src/index';

describe('resolveCommonConfig', () => {
  it('uses defaults with nothing set', () => {
    const { config, problems, warnings } = resolveCommonConfig({}, {});
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config.disabled).toBe(false);
    expect(config.shared.serviceName).toBe('unknown_service:node');
    expect(config.shared.environment).toBe('production');
    expect(config.handleSignals).toBe(true);
    expect(config.shutdownTimeoutMs).toBe(5000);
    expect(config.logger).toEqual({ level: 'info', console: undefined, format: 'json' });
    expect(config.accessLog.format).toBe('json');
  });

  it('takes the environment over defaults and options over the environment', () => {
    const env = {
      OTEL_SERVICE_NAME: 'from-env',
      NODE_ENV: 'staging',
      SIGHTLINE_SHUTDOWN_TIMEOUT_MS: '2000',
      SIGHTLINE_ACCESS_LOG: 'cruddur',
      npm_package_version: '1.2.3',
    };
    const fromEnv = resolveCommonConfig({}, env).config;
    expect(fromEnv.shared.serviceName).toBe('from-env');
    expect(fromEnv.shared.environment).toBe('staging');
    expect(fromEnv.shared.serviceVersion).toBe('1.2.3');
    expect(fromEnv.shutdownTimeoutMs).toBe(2000);
    expect(fromEnv.accessLog.format).toBe('cruddur');
    const fromOptions = resolveCommonConfig(
      { serviceName: 'opt', environment: 'dev', shutdownTimeoutMs: 0, accessLog: { format: false } },
      env,
    ).config;
    expect(fromOptions.shared.serviceName).toBe('opt');
    expect(fromOptions.shared.environment).toBe('dev');
    expect(fromOptions.shutdownTimeoutMs).toBe(0); // `??`, not `||`: a 0 option wins
    expect(fromOptions.accessLog.format).toBe(false);
  });

  it('SIGHTLINE_DISABLED=true disables everything, even over an explicit disabled: false', () => {
    expect(resolveCommonConfig({}, { SIGHTLINE_DISABLED: 'yes' }).config.disabled).toBe(true);
    expect(resolveCommonConfig({ disabled: false }, { SIGHTLINE_DISABLED: 'true' }).config.disabled).toBe(
      true,
    );
    expect(resolveCommonConfig({ disabled: true }, { SIGHTLINE_DISABLED: 'false' }).config.disabled).toBe(
      true,
    );
    expect(resolveCommonConfig({ disabled: false }, {}).config.disabled).toBe(false);
  });

  it('reads the application log level from SIGHTLINE_LOG_LEVEL_APP, then LOG_LEVEL', () => {
    expect(resolveCommonConfig({}, { LOG_LEVEL: 'warn' }).config.logger.level).toBe('warn');
    expect(
      resolveCommonConfig({}, { LOG_LEVEL: 'warn', SIGHTLINE_LOG_LEVEL_APP: 'debug' }).config.logger.level,
    ).toBe('debug');
    expect(
      resolveCommonConfig({ logger: { level: 'error' } }, { SIGHTLINE_LOG_LEVEL_APP: 'debug' }).config.logger
        .level,
    ).toBe('error');
  });

  it('warns and falls back on invalid environment values', () => {
    const { config, warnings, problems } = resolveCommonConfig(
      {},
      { SIGHTLINE_DISABLED: 'perhaps', SIGHTLINE_SHUTDOWN_TIMEOUT_MS: '-5', SIGHTLINE_LOG_LEVEL: 'loud' },
    );
    expect(problems).toEqual([]);
    expect(config.disabled).toBe(false);
    expect(config.shutdownTimeoutMs).toBe(5000);
    expect(config.diagnosticsLevel).toBe('warn');
    expect(warnings.map((w) => w.variable)).toEqual([
      'SIGHTLINE_DISABLED',
      'SIGHTLINE_LOG_LEVEL',
      'SIGHTLINE_SHUTDOWN_TIMEOUT_MS',
    ]);
  });

  it('reports every invalid option with its path', () => {
    const invalid = {
      serviceName: 3,
      shutdownTimeoutMs: -1,
      logger: { level: 'loud' },
      redaction: { fieldNames: 'password' },
    } as unknown as ObservabilityOptions;
    const { problems } = resolveCommonConfig(invalid, {});
    expect(problems.map((p) => p.path)).toEqual([
      'serviceName',
      'shutdownTimeoutMs',
      'logger.level',
      'redaction.fieldNames',
    ]);
  });
});

describe('initObservability', () => {
  it('throws one SightlineConfigError listing every problem', () => {
    let error: unknown;
    try {
      const invalid = {
        serviceName: '',
        handleSignals: 'yes',
        printSummary: false,
      } as unknown as ObservabilityOptions;
      initObservability(invalid, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SightlineConfigError);
    expect((error as SightlineConfigError).problems.map((p) => p.path)).toEqual([
      'serviceName',
      'handleSignals',
    ]);
  });

  it('returns a working handle with nothing configured', async () => {
    const obs = initObservability({ printSummary: false, handleSignals: false }, {});
    expect(obs.span('x', () => 42)).toBe(42);
    expect(obs.traceIds()).toBeUndefined();
    expect(obs.errors.report(new Error('x'))).toBeUndefined();
    const report = await obs.shutdown({ timeoutMs: 100 });
    expect(Object.values(report.backends).map((b) => b.status)).toEqual(['off', 'off', 'off', 'off']);
    expect(obs.stats().cwlogs.enabled).toBe(false);
  });
});

describe('resolveConfig (all backends)', () => {
  it('SIGHTLINE_CWLOGS_ENABLED=false keeps CloudWatch Logs off with any env object', () => {
    const env = { SIGHTLINE_CWLOGS_GROUP: 'g', SIGHTLINE_CWLOGS_ENABLED: 'false', AWS_REGION: 'us-east-1' };
    expect(resolveConfig({}, env).config.cwlogs.enabled).toBe(false);
    expect(resolveConfig({}, { ...env, SIGHTLINE_CWLOGS_ENABLED: 'true' }).config.cwlogs.enabled).toBe(true);
  });

  it('collects the problems of every backend into one list', () => {
    const invalid = {
      tracing: { endpoint: 'nope' },
      cwlogs: { sendIntervalMs: -1 },
    } as unknown as ObservabilityOptions;
    const paths = resolveConfig(invalid, {}).problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['tracing.endpoint', 'cwlogs.sendIntervalMs']));
  });
});
