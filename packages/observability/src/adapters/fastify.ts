import type { IncomingMessage, ServerResponse } from 'node:http';
import { beginRequest, type RequestHooks, reportRequestError, requestStateOf, setRoute } from '../request';
import type { Runtime } from '../runtime';

/** The parts of Fastify 5 we use, typed structurally so fastify stays optional. */
interface FastifyRequestLike {
  raw: IncomingMessage;
  routeOptions?: { url?: string };
  query?: unknown;
  body?: unknown;
  ip?: string;
}
interface FastifyReplyLike {
  raw: ServerResponse;
}
type Done = (err?: Error) => void;
interface FastifyInstanceLike {
  addHook(
    name: 'onRequest',
    hook: (req: FastifyRequestLike, reply: FastifyReplyLike, done: Done) => void,
  ): unknown;
  addHook(
    name: 'onError',
    hook: (req: FastifyRequestLike, reply: FastifyReplyLike, error: Error, done: Done) => void,
  ): unknown;
}

/** `await app.register(obs.fastify)`: a plugin whose hooks apply to every route (it skips encapsulation). */
export type FastifyPlugin = ((instance: FastifyInstanceLike, options: unknown, done: Done) => void) & {
  [key: symbol]: unknown;
};

export function createFastifyPlugin(rt: Runtime, hooks: RequestHooks): FastifyPlugin {
  const plugin = ((instance: FastifyInstanceLike, _options: unknown, done: Done) => {
    instance.addHook('onRequest', (request, reply, next) => {
      const state = beginRequest(rt, hooks, request.raw, reply.raw);
      // Fastify matched the route before the first hook: name the span now.
      setRoute(rt, state, request.routeOptions?.url);
      state.run(() => next());
    });
    instance.addHook('onError', (request, reply, error, next) => {
      reportRequestError(rt, requestStateOf(rt, reply.raw), error, request.raw, {
        route: request.routeOptions?.url,
        query: asRecord(request.query),
        body: request.body,
        ip: request.ip,
      });
      next();
    });
    done();
  }) as FastifyPlugin;
  // fastify-plugin's markers: hooks reach every route, and the plugin has a readable name.
  plugin[Symbol.for('skip-override')] = true;
  plugin[Symbol.for('fastify.display-name')] = '@sightline/observability';
  return plugin;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}
