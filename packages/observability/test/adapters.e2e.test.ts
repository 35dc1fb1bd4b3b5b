import type { Local } from '@sightline/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initObservability, type Observability } from '../src/index';
import { BODY_ROUTE, type Framework, ROUTE_NAME, startApp } from './apps';
import { baseUrl, postInTwoChunks, SAMPLE_EVERYTHING, startBackends, xrayId } from './helpers';

const SECRET_HEADERS = {
  authorization: 'Bearer secret-bearer-should-not-leak',
  cookie: 'session=secret-cookie-should-not-leak',
  'x-api-key': 'secret-apikey-should-not-leak',
};
const SECRET_QUERY = '?token=secret-query-should-not-leak&page=2';

describe.each<Framework>(['express', 'fastify', 'http'])(
  '%s adapter against @sightline/local',
  (framework) => {
    let local: Local;
    let obs: Observability;
    let app: Awaited<ReturnType<typeof startApp>>;
    let url: string;
    // @sightline/local runs in this process: its receivers' own requests are server spans too.
    const serverSpans = () =>
      local.spans().filter((s) => s.kindName === 'SERVER' && s.name.startsWith(ROUTE_NAME[framework]));

    beforeAll(async () => {
      const started = await startBackends();
      local = started.local;
      obs = initObservability(
        { serviceName: `${framework}-app`, xray: { samplingRules: SAMPLE_EVERYTHING } },
        { ...started.env, SIGHTLINE_CWLOGS_GROUP: framework },
      );
      app = await startApp(framework, obs);
      url = baseUrl(app.server);
    });

    afterAll(async () => {
      await app?.stop();
      await obs?.shutdown({ timeoutMs: 2000 });
      await local?.close();
    });

    it('one request reaches all four stores under one trace id, and no secret reaches any', async () => {
      local.clear();
      const ok = await fetch(`${url}/api/users/andrew${SECRET_QUERY}`, { headers: SECRET_HEADERS });
      expect(ok.status).toBe(200);
      const failed = await fetch(`${url}/api/boom${SECRET_QUERY}`, { headers: SECRET_HEADERS });
      expect(failed.status).toBe(500);
      await obs.forceFlush({ timeoutMs: 3000 });

      const server = await local.waitFor(() =>
        serverSpans().find((s) => s.attributes['http.route'] !== undefined || framework === 'http'),
      );
      const child = await local.waitFor(() =>
        local.spans({ name: 'mock-data' }).find((s) => s.traceId === server.traceId),
      );
      expect(child.parentSpanId).toBe(server.spanId);
      if (framework !== 'http') expect(server.attributes['http.route']).toBe('/api/users/:handle');

      const segment = await local.waitFor(() =>
        local.segments({ traceId: xrayId(server.traceId) }).find((s) => s.kind === 'segment'),
      );
      expect(segment.id).toBe(server.spanId);
      const subsegments = segment.document.subsegments as {
        name: string;
        metadata?: unknown;
        annotations?: unknown;
      }[];
      const sub = subsegments.find((x) => x.name === 'mock-data');
      expect(sub?.metadata).toEqual({ namespace: { key: { results: 1 } } });
      expect(sub?.annotations).toEqual({ route_kind: 'users' });

      const lines = await local.waitFor(() => {
        const parsed = local
          .logEvents({ group: framework })
          .map((e) => JSON.parse(e.message) as Record<string, unknown>);
        return parsed.filter((l) => l.trace_id === server.traceId).length >= 2 ? parsed : undefined;
      });
      expect(lines.find((l) => l.message === 'served andrew')).toMatchObject({
        xray_trace_id: xrayId(server.traceId),
      });
      expect(lines.find((l) => l.message === 'request' && l.trace_id === server.traceId)).toBeDefined();

      const item = await local.waitFor(() => local.items()[0]);
      const failedTrace = (item.data.custom as Record<string, string>).trace_id;
      const failedSegment = await local.waitFor(
        () => local.segments({ traceId: xrayId(failedTrace ?? '') })[0],
      );
      expect(failedSegment.document.fault).toBe(true);
      expect((item.data.custom as Record<string, string>).xray_trace_id).toBe(xrayId(failedTrace ?? ''));

      const stores = JSON.stringify([local.spans(), local.segments(), local.logEvents(), local.items()]);
      expect(stores).not.toContain('should-not-leak');
      expect(stores).not.toContain('hunter2');
    });

    it('a handler that runs once the body has arrived opens its span and subsegment under the request’s', async () => {
      local.clear();
      expect(await postInTwoChunks(`${url}${BODY_ROUTE}`, { handle: 'from-body' })).toBe(200);
      await obs.forceFlush({ timeoutMs: 3000 });
      const child = await local.waitFor(() =>
        local.spans({ name: 'mock-data' }).find((s) => s.attributes['app.handle'] === 'from-body'),
      );
      const server = local.spans().find((s) => s.spanId === child.parentSpanId);
      expect(server?.kindName).toBe('SERVER');
      const segment = await local.waitFor(() =>
        local.segments({ traceId: xrayId(child.traceId) }).find((s) => s.kind === 'segment'),
      );
      expect(segment.id).toBe(server?.spanId);
      const subsegments = (segment.document.subsegments ?? []) as { name: string }[];
      expect(subsegments.map((x) => x.name)).toEqual(['mock-data']);
    });

    it('500 concurrent requests with interleaved awaits never mix up their ids', async () => {
      local.clear();
      const handles = Array.from({ length: 500 }, (_, i) => `user${i}`);
      const responses = await Promise.all(handles.map((h) => fetch(`${url}/api/users/${h}`)));
      expect(responses.every((r) => r.status === 200)).toBe(true);
      await obs.forceFlush({ timeoutMs: 5000 });
      const lines = await local.waitFor(
        () => {
          const served = local
            .logEvents({ group: framework })
            .map((e) => JSON.parse(e.message) as Record<string, unknown>)
            .filter((l) => typeof l.handle === 'string');
          return served.length === 500 ? served : undefined;
        },
        { timeoutMs: 30_000 },
      );
      const spansByHandle = new Map(
        (
          await local.waitFor(
            () => {
              const spans = local.spans({ name: 'mock-data' });
              return spans.length === 500 ? spans : undefined;
            },
            { timeoutMs: 30_000 },
          )
        ).map((s) => [s.attributes['app.handle'], s]),
      );
      for (const line of lines) {
        const span = spansByHandle.get(line.handle as string);
        expect(span?.traceId).toBe(line.trace_id);
        expect(line.xray_trace_id).toBe(xrayId(span?.traceId ?? ''));
      }
      expect(new Set(lines.map((l) => l.trace_id)).size).toBe(500);
    });
  },
);
