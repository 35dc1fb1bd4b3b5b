import { createServer, type Server } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import type { Observability } from '../src/index';
import { listen } from './helpers';

/** The same two routes on each framework: one that works (a span, a log line) and one that throws. */
export type Framework = 'express' | 'fastify' | 'http';

async function work(obs: Observability, handle: string) {
  return obs.span(
    'mock-data',
    async (span) => {
      span.setAttribute('app.handle', handle);
      span.addMetadata('key', { results: 1 }, 'namespace');
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      obs.logger.info('served %s', handle, { handle });
      return [{ handle }];
    },
    { annotations: { route_kind: 'users' } },
  );
}

const ROUTE = '/api/users/:handle';
/** A POST whose JSON body (`{ handle }`) the handler reads before it works. */
export const BODY_ROUTE = '/api/activities';

export async function startApp(
  framework: Framework,
  obs: Observability,
): Promise<{ server: Server; stop(): Promise<void> }> {
  if (framework === 'express') {
    const app = express();
    app.use(obs.express());
    app.get(ROUTE, async (req, res) => {
      res.json(await work(obs, req.params.handle));
    });
    app.get('/api/boom', async () => {
      throw new Error('handler failed with password=hunter2');
    });
    app.post(BODY_ROUTE, express.json(), async (req, res) => {
      res.json(await work(obs, (req.body as { handle: string }).handle));
    });
    const server = await listen(createServer(app));
    return { server, stop: () => new Promise((r) => server.close(() => r())) };
  }
  if (framework === 'fastify') {
    const app = Fastify();
    await app.register(obs.fastify);
    app.get<{ Params: { handle: string } }>(ROUTE, async (req) => work(obs, req.params.handle));
    app.get('/api/boom', async () => {
      throw new Error('handler failed with password=hunter2');
    });
    app.post<{ Body: { handle: string } }>(BODY_ROUTE, async (req) => work(obs, req.body.handle));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { server: app.server, stop: () => app.close() };
  }
  const handler = obs.http(async (req, res) => {
    if (req.method === 'POST') {
      // The body as node:http gives it: 'data' and 'end' events from the socket, after this returns.
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', async () => {
        const { handle } = JSON.parse(body) as { handle: string };
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(await work(obs, handle)));
      });
      return;
    }
    const match = /^\/api\/users\/([^/?]+)/.exec(req.url ?? '');
    if (match?.[1]) {
      const body = JSON.stringify(await work(obs, match[1]));
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    res.writeHead(500).end('boom');
    throw new Error('handler failed with password=hunter2');
  });
  // The adapter re-rejects, exactly as the bare handler would; this server swallows it like a careful app.
  const server = await listen(
    createServer((req, res) => void Promise.resolve(handler(req, res)).catch(() => {})),
  );
  return { server, stop: () => new Promise((r) => server.close(() => r())) };
}

export const ROUTE_NAME: Record<Framework, string> = {
  express: `GET ${ROUTE}`,
  fastify: `GET ${ROUTE}`,
  // node:http has no routes: the span keeps the method-only name.
  http: 'GET',
};
