import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedactionPolicy, defaultRedactionPolicy } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import {
  globMatch,
  LocalSampler,
  parseDaemonAddress,
  parseSamplingRules,
  resolveXRayConfig,
  toSdkRulesFile,
} from '../src/index';
import { CRUDDUR_RULE } from './helpers';

describe('resolveXRayConfig', () => {
  it('is off with nothing configured, on with AWS_XRAY_DAEMON_ADDRESS or AWS_XRAY_URL or an option', () => {
    expect(resolveXRayConfig(undefined, {}).config.enabled).toBe(false);
    expect(resolveXRayConfig(undefined, { AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000' }).config.enabled).toBe(
      true,
    );
    expect(resolveXRayConfig(undefined, { AWS_XRAY_URL: '*gitpod.io*' }).config.enabled).toBe(true);
    expect(resolveXRayConfig({}, {}).config.enabled).toBe(true);
    expect(resolveXRayConfig(true, {}).config.enabled).toBe(true);
  });

  it('is off when the option says false, whatever the environment', () => {
    const env = { AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000' };
    expect(resolveXRayConfig(false, env).config.enabled).toBe(false);
    expect(resolveXRayConfig({ enabled: false }, env).config.enabled).toBe(false);
  });

  it('takes option > environment > default for each setting', () => {
    const env = {
      AWS_XRAY_TRACING_NAME: 'from-env',
      AWS_XRAY_URL: '*env*',
      AWS_XRAY_DAEMON_ADDRESS: 'xray-daemon:2000',
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    };
    const fromEnv = resolveXRayConfig(undefined, env, { serviceName: 'shared' }).config;
    expect(fromEnv).toMatchObject({
      serviceName: 'from-env',
      dynamicNaming: '*env*',
      daemon: { udp: { host: 'xray-daemon', port: 2000 }, tcp: { host: 'xray-daemon', port: 2000 } },
      contextMissing: 'IGNORE_ERROR',
    });
    const fromOptions = resolveXRayConfig(
      {
        serviceName: 'backend-flask',
        dynamicNaming: '*opt*',
        daemonAddress: '127.0.0.1:3000',
        contextMissing: 'RUNTIME_ERROR',
      },
      env,
    ).config;
    expect(fromOptions).toMatchObject({
      serviceName: 'backend-flask',
      dynamicNaming: '*opt*',
      daemon: { udp: { port: 3000 } },
      contextMissing: 'RUNTIME_ERROR',
    });
    const defaults = resolveXRayConfig(undefined, {}).config;
    expect(defaults).toMatchObject({
      serviceName: 'unknown_service:node',
      dynamicNaming: undefined,
      daemon: { udp: { host: '127.0.0.1', port: 2000 } },
      contextMissing: 'LOG_ERROR',
      samplingSource: 'default',
      centralizedSampling: false,
      maxDatagramBytes: 65_507,
      redaction: defaultRedactionPolicy,
    });
    expect(
      resolveXRayConfig(undefined, { OTEL_SERVICE_NAME: 'otel' }, { serviceName: 'shared' }).config
        .serviceName,
    ).toBe('shared');
    expect(resolveXRayConfig(undefined, { OTEL_SERVICE_NAME: 'otel' }).config.serviceName).toBe('otel');
  });

  it('uses the shared redaction policy', () => {
    const redaction = createRedactionPolicy({ fieldNames: ['handle'] });
    expect(resolveXRayConfig({}, {}, { redaction }).config.redaction).toBe(redaction);
  });

  it('returns problems with xray.-prefixed paths for invalid options', () => {
    const { problems } = resolveXRayConfig(
      {
        serviceName: 3 as unknown as string,
        daemonAddress: 'nowhere',
        contextMissing: 'THROW' as 'LOG_ERROR',
        samplingRules: { SamplingRule: { RuleName: 'x', FixedRate: 2, ReservoirSize: 1, Priority: 1 } },
        maxDatagramBytes: 100_000,
      },
      {},
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'xray.contextMissing',
      'xray.daemonAddress',
      'xray.maxDatagramBytes',
      'xray.samplingRules',
      'xray.serviceName',
    ]);
  });

  it('warns about invalid environment values and uses the defaults', () => {
    const { config, warnings, problems } = resolveXRayConfig(undefined, {
      AWS_XRAY_DAEMON_ADDRESS: 'not an address at all',
      AWS_XRAY_CONTEXT_MISSING: 'SOMETIMES',
      SIGHTLINE_XRAY_SAMPLING_RULES: '/nonexistent/rules.json',
    });
    expect(problems).toEqual([]);
    expect(warnings.map((w) => w.variable).sort()).toEqual([
      'AWS_XRAY_CONTEXT_MISSING',
      'AWS_XRAY_DAEMON_ADDRESS',
      'SIGHTLINE_XRAY_SAMPLING_RULES',
    ]);
    expect(config.daemon.udp).toEqual({ host: '127.0.0.1', port: 2000 });
    expect(config.contextMissing).toBe('LOG_ERROR');
    expect(config.samplingSource).toBe('default');
  });

  it('reads a sampling rule file named by SIGHTLINE_XRAY_SAMPLING_RULES (the Cruddur aws/json/xray.json)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-rules-'));
    const file = join(dir, 'xray.json');
    writeFileSync(file, JSON.stringify(CRUDDUR_RULE));
    const { config } = resolveXRayConfig(undefined, { SIGHTLINE_XRAY_SAMPLING_RULES: file });
    expect(config.samplingSource).toBe(file);
    expect(config.sampling.rules[0]).toMatchObject({ name: 'Cruddur', reservoirPerSecond: 5, rate: 0.1 });
  });
});

describe('daemon address', () => {
  it('accepts host:port and the udp/tcp pair in either order', () => {
    expect(parseDaemonAddress('xray-daemon:2000')).toEqual({
      udp: { host: 'xray-daemon', port: 2000 },
      tcp: { host: 'xray-daemon', port: 2000 },
    });
    expect(parseDaemonAddress('tcp:127.0.0.1:2001 udp:127.0.0.2:2000')).toEqual({
      udp: { host: '127.0.0.2', port: 2000 },
      tcp: { host: '127.0.0.1', port: 2001 },
    });
    for (const bad of [
      '2000',
      'host:',
      'host:99999',
      'udp:127.0.0.1:2000',
      'udp:a:1 udp:b:2',
      'a:1 b:2 c:3',
    ]) {
      expect(parseDaemonAddress(bad)).toBeUndefined();
    }
  });
});

describe('sampling rules in both shapes', () => {
  it('translates the console/CLI SamplingRule JSON', () => {
    const parsed = parseSamplingRules(CRUDDUR_RULE);
    expect(parsed).toEqual({
      ok: true,
      value: {
        rules: [
          {
            name: 'Cruddur',
            priority: 9000,
            reservoirPerSecond: 5,
            rate: 0.1,
            serviceName: 'backend-flask',
            serviceType: '*',
            host: '*',
            httpMethod: '*',
            urlPath: '*',
          },
        ],
        fallback: { reservoirPerSecond: 1, rate: 0.05 },
      },
    });
  });

  it('reads get-sampling-rules output, with the Default rule as the fallback', () => {
    const parsed = parseSamplingRules({
      SamplingRuleRecords: [
        { SamplingRule: { ...CRUDDUR_RULE.SamplingRule } },
        {
          SamplingRule: {
            ...CRUDDUR_RULE.SamplingRule,
            RuleName: 'Default',
            Priority: 10000,
            FixedRate: 0.2,
            ReservoirSize: 2,
          },
        },
      ],
    });
    expect(parsed.ok && parsed.value.fallback).toEqual({ reservoirPerSecond: 2, rate: 0.2 });
    expect(parsed.ok && parsed.value.rules.map((r) => r.name)).toEqual(['Cruddur']);
  });

  it('reads the SDK version 2 file and writes it back', () => {
    const file = {
      version: 2,
      rules: [
        {
          description: 'health',
          host: '*',
          http_method: 'GET',
          url_path: '/api/health-check',
          fixed_target: 0,
          rate: 0,
        },
      ],
      default: { fixed_target: 5, rate: 0.1 },
    };
    const parsed = parseSamplingRules(file);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(toSdkRulesFile(parsed.value)).toEqual(file);
  });

  it('says what is wrong with an invalid rule', () => {
    expect(parseSamplingRules({ version: 3, default: {} })).toMatchObject({
      ok: false,
      error: 'version must be 1 or 2',
    });
    expect(
      parseSamplingRules({ SamplingRule: { RuleName: 'x', ReservoirSize: 1, FixedRate: 0.5 } }),
    ).toMatchObject({
      ok: false,
      error: expect.stringContaining('Priority'),
    });
  });
});

describe('the local sampler', () => {
  it('matches globs case-insensitively on the whole string', () => {
    expect(globMatch('*4567-*.gitpod.io*', '4567-abc.ws-us90.gitpod.io')).toBe(true);
    expect(globMatch('/api/*', '/API/activities')).toBe(true);
    expect(globMatch('/api/?', '/api/ab')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
  });

  it('picks the highest-priority matching rule and refills the reservoir each second', () => {
    const parsed = parseSamplingRules({
      version: 2,
      rules: [
        {
          description: 'health',
          host: '*',
          http_method: 'GET',
          url_path: '/api/health-check',
          fixed_target: 0,
          rate: 0,
        },
        { description: 'api', host: '*', http_method: '*', url_path: '/api/*', fixed_target: 2, rate: 0 },
      ],
      default: { fixed_target: 0, rate: 1 },
    });
    if (!parsed.ok) throw new Error(parsed.error);
    let now = 1_000_000;
    const sampler = new LocalSampler(parsed.value, { now: () => now, random: () => 0.99 });
    const ask = (urlPath: string, httpMethod = 'GET') =>
      sampler.shouldSample({ serviceName: 's', urlPath, httpMethod });
    expect(ask('/api/health-check')).toEqual({ sampled: false, rule: 'health' });
    expect([ask('/api/a'), ask('/api/b'), ask('/api/c')].map((d) => d.sampled)).toEqual([true, true, false]);
    expect(ask('/other')).toEqual({ sampled: true, rule: undefined });
    now += 1000;
    expect(ask('/api/a')).toEqual({ sampled: true, rule: 'api' });
  });
});
