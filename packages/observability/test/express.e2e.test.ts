import { createServer, type Server } from 'node:http';
import type { Local } from '@sightline/local';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initObservability, type Observability } from '../src/index';
import { baseUrl, close, listen, startBackends, xrayId } from './helpers';

let local: Local;
let obs: Observability;
let server: Server;
let url: string;

beforeAll(async () => {
  const started = await startBackends();
  local = started.local;
  obs = initObservability({ serviceName: 'express-app' }, started.env);
  const app = express();
  app.use(obs.express());
  app.get('/api/activities/@:handle', async (req, res) => {
    const data = await obs.span(
      'mock-data',
      async (span) => {
        span.setAttribute('app.handle', req.params.handle);
        span.addMetadata('key', { results: 1 }, 'namespace');
        await new Promise((r) => setTimeout(r, 5));
        return [{ handle: req.params.handle }];
      },
      { annotations: { route_kind: 'users' } },
    );
    obs.logger.info('served %s', req.params.handle, { count: data.length });
    res.json(data);
  });
  app.get('/api/boom', async () => {
    throw new Error('handler failed with password=hunter2');
  });
  server = await listen(createServer(app));
  url = baseUrl(server);
});

afterAll(async () => {
  await close(server);
  await obs?.shutdown({ timeoutMs: 2000 });
  await local?.close();
});

// @sightline/local runs in this process, so its own receivers' requests are server spans too.
const serverSpan = (name: string) => local.spans({ name }).find((s) => s.kindName === 'SERVER');

describe('Express adapter, all four backends on, against @sightline/local', () => {
  it('one request: server span + child span, segment + subsegment, log lines, one trace id', async () => {
    const res = await fetch(`${url}/api/activities/@andrew?token=secret-value`, {
      headers: { authorization: 'Bearer should-not-leak', cookie: 'sid=should-not-leak' },
    });
    expect(res.status).toBe(200);
    const header = res.headers.get('x-amzn-trace-id');
    expect(header).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/);
    await obs.forceFlush({ timeoutMs: 3000 });

    const server = await local.waitFor(() => serverSpan('GET /api/activities/@:handle'));
    expect(server.name).toBe('GET /api/activities/@:handle');
    expect(server.attributes['http.route']).toBe('/api/activities/@:handle');
    const child = local.spans({ name: 'mock-data' })[0];
    expect(child?.parentSpanId).toBe(server.spanId);
    expect(child?.traceId).toBe(server.traceId);
    const xrayTraceId = xrayId(server.traceId);
    expect(header).toContain(`Root=${xrayTraceId}`);

    const segment = await local.waitFor(() =>
      local.segments({ traceId: xrayTraceId }).find((s) => s.kind === 'segment'),
    );
    expect(segment.id).toBe(server.spanId);
    const doc = segment.document as {
      subsegments?: { name: string; metadata?: unknown; annotations?: unknown }[];
      http?: { request?: { url?: string } };
    };
    const sub = doc.subsegments?.find((s) => s.name === 'mock-data');
    expect(sub?.metadata).toEqual({ namespace: { key: { results: 1 } } });
    expect(sub?.annotations).toEqual({ route_kind: 'users' });

    const lines = await local.waitFor(() => {
      const events = local
        .logEvents({ group: 'facade-test' })
        .map((e) => JSON.parse(e.message) as Record<string, unknown>);
      return events.length >= 2 ? events : undefined;
    });
    const served = lines.find((l) => l.message === 'served andrew');
    expect(served).toMatchObject({ count: 1, trace_id: server.traceId, xray_trace_id: xrayTraceId });
    const access = lines.find((l) => l.message === 'request');
    expect(access).toMatchObject({
      trace_id: server.traceId,
      http: { status: 200, route: '/api/activities/@:handle' },
    });

    // Nothing secret in any store.
    const everything = JSON.stringify([local.spans(), local.segments(), local.logEvents()]);
    expect(everything).not.toContain('secret-value');
    expect(everything).not.toContain('should-not-leak');
  });

  it('a failing route: 500 as Express sends it, Rollbar item with the same ids, span and segment marked', async () => {
    local.clear();
    const res = await fetch(`${url}/api/boom?api_key=k-should-not-leak`, {
      headers: { authorization: 'Bearer zzz-should-not-leak' },
    });
    expect(res.status).toBe(500);
    await obs.forceFlush({ timeoutMs: 3000 });
    const item = await local.waitFor(() => local.items()[0]);
    const server = await local.waitFor(() => serverSpan('GET /api/boom'));
    expect(item.data.custom).toMatchObject({
      trace_id: server.traceId,
      xray_trace_id: xrayId(server.traceId),
    });
    expect(server.status.code).toBe(2);
    expect(server.attributes['rollbar.uuid']).toBe(item.uuid);
    const segment = await local.waitFor(() => local.segments({ traceId: xrayId(server.traceId) })[0]);
    expect(segment.document.fault).toBe(true);
    expect(segment.id).toBe(server.spanId);
    expect(JSON.stringify(local.items())).not.toMatch(/should-not-leak|hunter2/);
  });

  it('logs outside any request carry no trace ids', async () => {
    local.clear();
    obs.logger.info('outside');
    await obs.forceFlush({ timeoutMs: 3000 });
    const line = await local.waitFor(() =>
      local
        .logEvents({ group: 'facade-test' })
        .map((e) => JSON.parse(e.message) as Record<string, unknown>)
        .find((l) => l.message === 'outside'),
    );
    expect(line.trace_id).toBeUndefined();
    expect(line.xray_trace_id).toBeUndefined();
  });
});
