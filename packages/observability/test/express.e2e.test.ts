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
  obs = initObservability(
    {
      serviceName: 'express-app',
      xray: { samplingRules: { version: 2, rules: [], default: { fixed_target: 0, rate: 1 } } },
    },
    started.env,
  );
  const app = express();
  app.use(obs.express());
  app.get(
    '/api/activities/home',
    obs.capture('activities_home', async (_req: unknown, res: { json(body: unknown): void }) => {
      res.json([{ handle: 'Andrew Brown' }]);
    }),
  );
  app.get('/api/handled', async (_req, res) => {
    await obs.span('call-upstream', async (span) => {
      span.recordError(new Error('upstream timed out, served from cache'));
    });
    res.json({ cached: true });
  });
  app.get('/api/span-throws', async (_req, res) => {
    const thrown = new Error('sync failure in span');
    const rejected = new Error('async failure in span');
    const caught: unknown[] = [];
    try {
      obs.span('throws-sync', () => {
        throw thrown;
      });
    } catch (error) {
      caught.push(error === thrown);
    }
    await obs
      .span('rejects-async', async () => Promise.reject(rejected))
      .catch((error: unknown) => {
        caught.push(error === rejected);
      });
    res.json({ caught });
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

describe('Express specifics, all four backends on, against @sightline/local', () => {
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

  it('capture wraps a whole handler in a span and a subsegment of the same name', async () => {
    local.clear();
    const res = await fetch(`${url}/api/activities/home`);
    expect(await res.json()).toEqual([{ handle: 'Andrew Brown' }]);
    await obs.forceFlush({ timeoutMs: 3000 });
    const server = await local.waitFor(() => serverSpan('GET /api/activities/home'));
    const captured = await local.waitFor(() => local.spans({ name: 'activities_home' })[0]);
    expect(captured.parentSpanId).toBe(server.spanId);
    const segment = await local.waitFor(() => local.segments({ traceId: xrayId(server.traceId) })[0]);
    const subs = segment.document.subsegments as { name: string; id: string }[];
    expect(subs.map((s) => s.name)).toEqual(['activities_home']);
  });

  it('recordError marks a caught error on both the span and the subsegment; the response is untouched', async () => {
    local.clear();
    const res = await fetch(`${url}/api/handled`);
    expect(res.status).toBe(200);
    await obs.forceFlush({ timeoutMs: 3000 });
    const span = await local.waitFor(() => local.spans({ name: 'call-upstream' })[0]);
    expect(span.status.code).toBe(2);
    expect(span.events.map((e) => e.name)).toContain('exception');
    const segment = await local.waitFor(() => local.segments({ traceId: xrayId(span.traceId) })[0]);
    const sub = (segment.document.subsegments as { name: string; fault?: boolean; cause?: unknown }[]).find(
      (x) => x.name === 'call-upstream',
    );
    expect(sub?.fault).toBe(true);
    expect(JSON.stringify(sub?.cause)).toContain('upstream timed out, served from cache');
    expect(segment.document.fault).toBeUndefined();
  });

  it('a span whose function throws or rejects: the same error re-thrown, recorded on both span and subsegment', async () => {
    local.clear();
    const res = await fetch(`${url}/api/span-throws`);
    expect(await res.json()).toEqual({ caught: [true, true] });
    await obs.forceFlush({ timeoutMs: 3000 });
    const server = await local.waitFor(() => serverSpan('GET /api/span-throws'));
    const segment = await local.waitFor(() => local.segments({ traceId: xrayId(server.traceId) })[0]);
    const subs = segment.document.subsegments as { name: string; fault?: boolean; cause?: unknown }[];
    for (const [name, message] of [
      ['throws-sync', 'sync failure in span'],
      ['rejects-async', 'async failure in span'],
    ]) {
      const span = await local.waitFor(() => local.spans({ name })[0]);
      expect(span.parentSpanId).toBe(server.spanId);
      expect(span.status).toMatchObject({ code: 2, message });
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
      const sub = subs.find((x) => x.name === name);
      expect(sub?.fault).toBe(true);
      expect(JSON.stringify(sub?.cause)).toContain(message);
    }
    expect(segment.document.fault).toBeUndefined();
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

  it('obs.http wrapping the Express app: one request, one segment and one access-log line, named by route', async () => {
    const inner = express()
      .use(obs.express())
      .get('/api/twice/:id', (_req, res) => {
        res.json({ ok: true });
      });
    const outer = await listen(createServer(obs.http((req, res) => inner(req, res))));
    try {
      local.clear();
      const res = await fetch(`${baseUrl(outer)}/api/twice/7`);
      expect(res.status).toBe(200);
      await obs.forceFlush({ timeoutMs: 3000 });
      const span = await local.waitFor(() => serverSpan('GET /api/twice/:id'));
      const segments = await local.waitFor(() => {
        const found = local.segments({ traceId: xrayId(span.traceId) });
        return found.length > 0 ? found : undefined;
      });
      expect(segments).toHaveLength(1);
      const access = local
        .logEvents({ group: 'facade-test' })
        .map((e) => JSON.parse(e.message) as { message: string; http?: { path?: string; route?: string } })
        .filter((l) => l.http?.path === '/api/twice/7');
      expect(access).toEqual([
        expect.objectContaining({ http: expect.objectContaining({ route: '/api/twice/:id' }) }),
      ]);
    } finally {
      await close(outer);
    }
  });
});
