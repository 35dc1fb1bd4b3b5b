import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Local, startLocal } from '@sightline/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/script.cjs', import.meta.url));
const namedImports = fileURLToPath(new URL('./fixtures/named-imports.mjs', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, args, {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('@sightline/tracing/register (built package, child processes)', () => {
  let local: Local;
  beforeEach(async () => {
    local = await startLocal();
  });
  afterEach(async () => {
    await local.close();
  });

  it('--require starts tracing from the environment, warns about a bad variable, and flushes on beforeExit (CJS)', async () => {
    // A 60 s schedule delay: the span can only arrive through the exit flush.
    const result = await run(['--require', '@sightline/tracing/register', script], {
      ...local.env,
      OTEL_SERVICE_NAME: 'cjs-script',
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      SIGHTLINE_LOG_LEVEL: 'info',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      '[sightline:tracing] info: tracing: OTLP/HTTP protobuf → http://127.0.0.1:',
    );
    const [span] = await local.waitFor(() => (local.spans().length > 0 ? local.spans() : undefined));
    expect(span?.name).toBe('cjs-job');
    expect(span?.resource['service.name']).toBe('cjs-script');
  });

  /** Runs a fixture that calls `url` twice inside the span `job`; returns its exit and what arrived. */
  async function runCallingFixture(args: string[], job: string) {
    const url = `${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/not-otlp`;
    const result = await run(args, { ...local.env, OTEL_SERVICE_NAME: job, FIXTURE_CALL_URL: url });
    const spans = await local.waitFor(() => (local.spans().length >= 3 ? local.spans() : undefined));
    return {
      code: result.code,
      url,
      job: spans.find((s) => s.name === job),
      clients: spans.filter((s) => s.kindName === 'CLIENT'),
    };
  }

  it('the built package makes client spans for http.get and fetch, children of the active span', async () => {
    const { code, url, job, clients } = await runCallingFixture(
      ['--require', '@sightline/tracing/register', script],
      'cjs-job',
    );
    expect(code).toBe(0);
    expect(clients).toHaveLength(2);
    for (const client of clients) {
      expect(client.parentSpanId).toBe(job?.spanId);
      expect(client.attributes['url.full']).toBe(url);
    }
  });

  it('makes client spans for calls through ESM named imports of node:http bound before tracing started', async () => {
    const { code, job, clients } = await runCallingFixture([namedImports], 'esm-job');
    expect(code).toBe(0);
    expect(clients).toHaveLength(2);
    for (const client of clients) expect(client.parentSpanId).toBe(job?.spanId);
  });

  it('stays off and silent without configuration, and with OTEL_SDK_DISABLED=true', async () => {
    const bare = await run(['--require', '@sightline/tracing/register', script], {});
    expect(bare).toEqual({ code: 0, stderr: '' });
    const disabled = await run(['--require', '@sightline/tracing/register', script], {
      ...local.env,
      OTEL_SDK_DISABLED: 'true',
    });
    expect(disabled).toEqual({ code: 0, stderr: '' });
    expect(local.requests({ backend: 'otlp' })).toEqual([]);
  });
});
