import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Local } from '@sightline/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from './childProcess';
import { startBackends, xrayId } from './helpers';

let local: Local;
let env: Record<string, string>;

beforeAll(async () => {
  ({ local, env } = await startBackends());
});
afterAll(async () => {
  await local?.close();
});

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

function runConsumer(kind: 'esm' | 'cjs', extraEnv: Record<string, string>) {
  const cwd = fileURLToPath(new URL(`../../../examples/register-${kind}/`, import.meta.url));
  const flag = kind === 'esm' ? '--import' : '--require';
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [flag, '@sightline/observability/register', 'app.js'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...extraEnv },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('register entries with real consumer packages (child processes)', () => {
  it.each(['esm', 'cjs'] as const)(
    '%s: started from the environment alone, all four backends receive the request',
    async (kind) => {
      local.clear();
      const result = await runConsumer(kind, {
        ...env,
        SIGHTLINE_CWLOGS_GROUP: `register-${kind}`,
        SIGHTLINE_XRAY_SAMPLING_RULES: '',
      });
      expect(result.stderr).not.toContain('could not start');
      expect(result.code).toBe(0);
      const ids = JSON.parse(/ids (.*)/.exec(result.stdout)?.[1] ?? 'null') as {
        traceId: string;
        xrayTraceId: string;
      } | null;
      expect(ids?.xrayTraceId).toBe(xrayId(ids?.traceId ?? ''));
      const server = local.spans().find((s) => s.kindName === 'SERVER' && s.traceId === ids?.traceId);
      expect(server?.resource['service.name']).toBe('facade-test');
      expect(local.segments({ traceId: ids?.xrayTraceId })).toHaveLength(1);
      const line = local
        .logEvents({ group: `register-${kind}` })
        .map((e) => JSON.parse(e.message) as Record<string, unknown>);
      expect(line.find((l) => l.message === `hello from ${kind}`)?.trace_id).toBe(ids?.traceId);
    },
  );
});

describe('start-up stays light (child process)', () => {
  it('loads no vendor SDK for a backend that is off', async () => {
    const f = startFixture('startup-light.cjs');
    const result = await f.exited;
    expect(JSON.parse(lastLine(result.stdout))).toEqual({
      awsSdk: false,
      rollbar: false,
      otelSdk: false,
      otelApi: false,
      otlpExporter: false,
      xraySdk: false,
    });
  });

  it('loads exactly the SDKs of the backends that are on', async () => {
    const f = startFixture('startup-light.cjs', {
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      AWS_XRAY_DAEMON_ADDRESS: '',
      AWS_XRAY_URL: '',
    });
    const result = await f.exited;
    // CloudWatch Logs loads its SDK on the first send, not at start-up.
    expect(JSON.parse(lastLine(result.stdout))).toEqual({
      awsSdk: false,
      rollbar: false,
      otelSdk: false,
      otelApi: false,
      otlpExporter: false,
      xraySdk: false,
    });
  });

  it('loads rollbar at the first error report, not at start-up', async () => {
    const f = startFixture('startup-light.cjs', {
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      AWS_XRAY_DAEMON_ADDRESS: '',
      AWS_XRAY_URL: '',
      FIXTURE_REPORT_ERROR: '1',
    });
    const result = await f.exited;
    const [atStart, afterReport] = result.stdout
      .trim()
      .split('\n')
      .slice(-2)
      .map((line) => JSON.parse(line) as { rollbar: boolean });
    expect(atStart?.rollbar).toBe(false);
    expect(afterReport?.rollbar).toBe(true);
    await local.waitFor(() => (JSON.stringify(local.items()).includes('first error') ? true : undefined));
  });

  it('starts tracing without its OTLP exporter, which loads when the first batch leaves', async () => {
    const f = startFixture('startup-light.cjs', {
      OTEL_EXPORTER_OTLP_ENDPOINT: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
    });
    const result = await f.exited;
    expect(JSON.parse(lastLine(result.stdout))).toEqual({
      awsSdk: false,
      rollbar: false,
      otelSdk: true,
      otelApi: true,
      otlpExporter: false,
      xraySdk: false,
    });
  });
});
