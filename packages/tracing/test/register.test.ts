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

  it('the built package makes client spans for http.get and fetch, children of the active span', async () => {
    const url = `${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/not-otlp`;
    const result = await run(['--require', '@sightline/tracing/register', script], {
      ...local.env,
      OTEL_SERVICE_NAME: 'cjs-script',
      FIXTURE_CALL_URL: url,
    });
    expect(result.code).toBe(0);
    const spans = await local.waitFor(() => (local.spans().length >= 3 ? local.spans() : undefined));
    const job = spans.find((s) => s.name === 'cjs-job');
    const clients = spans.filter((s) => s.kindName === 'CLIENT');
    expect(clients).toHaveLength(2);
    for (const client of clients) {
      expect(client.parentSpanId).toBe(job?.spanId);
      expect(client.attributes['url.full']).toBe(url);
    }
  });

  it('makes client spans for calls through ESM named imports of node:http bound before tracing started', async () => {
    const url = `${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/not-otlp`;
    const result = await run([namedImports], {
      ...local.env,
      OTEL_SERVICE_NAME: 'esm-script',
      FIXTURE_CALL_URL: url,
    });
    expect(result.code).toBe(0);
    const spans = await local.waitFor(() => (local.spans().length >= 3 ? local.spans() : undefined));
    const job = spans.find((s) => s.name === 'esm-job');
    const clients = spans.filter((s) => s.kindName === 'CLIENT');
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
