import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { type Local, startLocal } from '@sightline/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withSpan } from '../src/index';
import { startAgainst, stopAll } from './helpers';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/service-b.mjs', import.meta.url));

function getJson(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
      })
      .on('error', reject);
  });
}

/** Starts service B (built package, `--import` register entry) and resolves with its port. */
function startServiceB(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', '@sightline/tracing/register', fixture], {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (line) =>
      resolve({ child, port: JSON.parse(String(line)).port, stderr: () => err }),
    );
    child.once('exit', (code) => reject(new Error(`service B exited early (${code}): ${err}`)));
  });
}

describe('one trace across two services (in-process A, child-process B with the --import entry)', () => {
  let local: Local;
  let child: ChildProcess | undefined;
  beforeEach(async () => {
    local = await startLocal();
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    child = undefined;
    await stopAll();
    await local.close();
  });

  it('links A span → A client span (http and fetch) → B server span → B child span, and B flushes on SIGTERM', async () => {
    const b = await startServiceB({
      ...local.env,
      OTEL_SERVICE_NAME: 'service-b',
      OTEL_BSP_SCHEDULE_DELAY: '60000',
    });
    child = b.child;
    const a = startAgainst(local, { OTEL_SERVICE_NAME: 'service-a' });
    const viaHttp = await withSpan('call-b-http', () =>
      getJson(`http://127.0.0.1:${b.port}/api/items/1?token=fake-t`),
    );
    const viaFetch = await withSpan('call-b-fetch', async () => {
      const res = await fetch(`http://127.0.0.1:${b.port}/api/items/2`);
      return (await res.json()) as Record<string, unknown>;
    });
    expect(viaHttp.routed).toBe(true);
    expect(viaFetch.routed).toBe(true);
    expect(String(viaFetch.traceparent)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(String(viaHttp.traceparent)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(String(viaHttp.xray)).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$/);
    await a.forceFlush(3000);
    // B exports on its scheduled delay (60 s) unless the SIGTERM flush works.
    const exited = new Promise<number | null>((resolve) =>
      b.child.once('exit', (code, signal) => resolve(signal === 'SIGTERM' ? 143 : code)),
    );
    b.child.kill('SIGTERM');
    expect(await exited).toBe(143);

    const spans = await local.waitFor(() => {
      const all = local.spans();
      return all.filter((s) => s.resource['service.name'] === 'service-b').length === 4 ? all : undefined;
    });
    for (const [root, clientKind] of [
      ['call-b-http', 'http'],
      ['call-b-fetch', 'fetch'],
    ] as const) {
      const parent = spans.find((s) => s.name === root);
      const client = spans.find((s) => s.parentSpanId === parent?.spanId && s.kindName === 'CLIENT');
      const server = spans.find((s) => s.parentSpanId === client?.spanId);
      const db = spans.find((s) => s.parentSpanId === server?.spanId);
      expect(parent?.resource['service.name'], clientKind).toBe('service-a');
      expect(client?.resource['service.name'], clientKind).toBe('service-a');
      expect(server?.resource['service.name'], clientKind).toBe('service-b');
      expect(server?.kindName).toBe('SERVER');
      expect(server?.name).toBe('GET /api/items/:id');
      expect(server?.attributes['http.route']).toBe('/api/items/:id');
      expect(db?.name).toBe('db-query');
      expect(new Set([parent, client, server, db].map((s) => s?.traceId)).size).toBe(1);
    }
    const httpServer = spans.find(
      (s) => s.kindName === 'SERVER' && String(s.attributes['url.query'] ?? '').includes('token'),
    );
    expect(httpServer?.attributes['url.query']).toBe('token=%5BREDACTED%5D');
    expect(b.stderr()).toBe('');
  });
});
