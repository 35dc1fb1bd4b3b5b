import { createServer, type Server } from 'node:http';
import { context, createContextKey } from '@opentelemetry/api';
import type { Local } from '@sightline/local';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initObservability, type Observability } from '../src/index';
import { baseUrl, close, listen, SAMPLE_EVERYTHING, startBackends, xrayId } from './helpers';

let local: Local;
let obs: Observability;
let server: Server;
const OUTER = createContextKey('test: set by a middleware before the adapter');

beforeAll(async () => {
  const started = await startBackends();
  local = started.local;
  obs = initObservability(
    {
      serviceName: 'context-before-adapter',
      xray: { samplingRules: SAMPLE_EVERYTHING },
    },
    started.env,
  );
  const app = express();
  // Not first, as the docs ask, but after a middleware that runs the rest in a context of its own.
  app.use((_req, _res, next) => context.with(context.active().setValue(OUTER, 'outer'), next));
  app.use(obs.express());
  app.get('/api/outer', async (_req, res) => {
    const seen = obs.span('inner-work', () => ({
      outer: context.active().getValue(OUTER),
      ids: obs.traceIds(),
    }));
    res.json(seen);
  });
  server = await listen(createServer(app));
});

afterAll(async () => {
  await close(server);
  await obs?.shutdown({ timeoutMs: 2000 });
  await local?.close();
});

describe('a middleware that changed the context before the adapter', () => {
  it('keeps its context, and the handler still runs under the server span and the request segment', async () => {
    const body = (await (await fetch(`${baseUrl(server)}/api/outer`)).json()) as {
      outer: string;
      ids: { traceId: string };
    };
    expect(body.outer).toBe('outer');
    await obs.forceFlush({ timeoutMs: 3000 });
    const segment = await local.waitFor(() =>
      local.segments({ traceId: xrayId(body.ids.traceId) }).find((s) => s.kind === 'segment'),
    );
    const subsegments = segment.document.subsegments as { name: string }[] | undefined;
    expect(subsegments?.map((s) => s.name)).toEqual(['inner-work']);
    const inner = await local.waitFor(
      () => local.spans({ traceId: body.ids.traceId, name: 'inner-work' })[0],
    );
    const serverSpan = local.spans({ traceId: body.ids.traceId }).find((s) => s.kindName === 'SERVER');
    expect(inner.parentSpanId).toBe(serverSpan?.spanId);
  });
});
