import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { Local } from '@sightline/local';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initObservability, type Observability } from '../src/index';
import { baseUrl, listen, postInTwoChunks, SAMPLE_EVERYTHING, startBackends } from './helpers';

/**
 * Sightline adds no own property to a request or a response, on any adapter, with every backend on
 * or with X-Ray alone. Node's http and stream code reads those objects at call sites shared by every
 * request, and an object with extra own properties takes V8's slow lookup paths there: OpenTelemetry's
 * `context.bind`, which X-Ray alone used for a while, gave each of them eight own methods and cost
 * about 90 µs per request in the request-overhead benchmark. This is the guard against that, counted
 * in properties rather than timed.
 */
type Framework = 'http' | 'express' | 'fastify';
type Keys = { req: string[]; res: string[] };

const ownKeys = (o: object) => Reflect.ownKeys(o).map(String).sort();

/** A GET and a POST (body read in node:http's own 'data'/'end' events) on each framework. */
async function serve(framework: Framework, obs: Observability | undefined, seen: Keys[]) {
  // Keys are read once the response closed and every 'close' listener (ours included) has run.
  const record = (req: IncomingMessage, res: ServerResponse) =>
    res.once('close', () => setImmediate(() => seen.push({ req: ownKeys(req), res: ownKeys(res) })));
  const handle = (req: IncomingMessage, res: ServerResponse, work: () => unknown) => {
    const reply = () => {
      const body = JSON.stringify(obs ? obs.span('work', () => ({ ok: true })) : work());
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    };
    if (req.method !== 'POST') return reply();
    req.on('data', () => {});
    req.on('end', reply);
  };
  const work = () => ({ ok: true });
  if (framework === 'express') {
    const app = express();
    if (obs) app.use(obs.express());
    app.all('/r', (req, res) => handle(req, res, work));
    return listen(
      createServer((req, res) => {
        record(req, res);
        app(req, res);
      }),
    );
  }
  if (framework === 'fastify') {
    const app = Fastify();
    if (obs) await app.register(obs.fastify);
    app.addHook('onRequest', async (req, reply) => record(req.raw, reply.raw));
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, _payload, done) => done(null));
    app.all('/r', (req, reply) => {
      reply.hijack();
      handle(req.raw, reply.raw, work);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server;
  }
  const handler: RequestListener = (req, res) => handle(req, res, work);
  const wrapped = obs ? obs.http(handler) : handler;
  return listen(
    createServer((req, res) => {
      record(req, res);
      void Promise.resolve(wrapped(req, res)).catch(() => {});
    }),
  );
}

async function keysOf(framework: Framework, obs: Observability | undefined): Promise<Keys[]> {
  const seen: Keys[] = [];
  const server = await serve(framework, obs, seen);
  try {
    const url = `${baseUrl(server)}/r`;
    const response = await fetch(url);
    await response.arrayBuffer(); // a fetch's client span ends with its body
    expect(response.status).toBe(200);
    expect(await postInTwoChunks(url, { handle: 'x' })).toBe(200);
    for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  expect(seen).toHaveLength(2);
  return seen;
}

describe.each([
  ['every backend on', {}],
  ['X-Ray alone', { tracing: false, cwlogs: false, errors: false }],
] as const)('no own property added to requests and responses, %s', (_name, backends) => {
  let local: Local;
  let obs: Observability;

  beforeAll(async () => {
    const started = await startBackends();
    local = started.local;
    obs = initObservability(
      {
        serviceName: 'own-properties',
        logger: { console: false },
        xray: { samplingRules: SAMPLE_EVERYTHING },
        ...backends,
      },
      started.env,
    );
  });

  afterAll(async () => {
    await obs?.shutdown({ timeoutMs: 2000 });
    await local?.close();
  });

  it.each<Framework>(['http', 'express', 'fastify'])(
    '%s: the same own keys as without Sightline',
    async (framework) => {
      local.clear();
      const bare = await keysOf(framework, undefined);
      const instrumented = await keysOf(framework, obs);
      expect(instrumented).toEqual(bare);
      // The requests were instrumented: both segments, each with its subsegment, reached the daemon.
      const segments = await local.waitFor(() => {
        const found = local.segments().filter((s) => s.kind === 'segment');
        return found.length >= 2 ? found : undefined;
      });
      expect(segments.map((s) => (s.document.subsegments as { name: string }[]).map((x) => x.name))).toEqual([
        ['work'],
        ['work'],
      ]);
    },
  );
});
