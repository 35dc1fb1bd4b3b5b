import type { IncomingMessage, ServerResponse } from 'node:http';
import { beginRequest, type RequestHooks, reportRequestError, requestStateOf } from '../request';
import type { Runtime } from '../runtime';

/** The parts of an Express 5 request we read; typed structurally so express stays optional. */
interface ExpressRequest extends IncomingMessage {
  app?: { router?: { stack?: Layer[] }; use(fn: unknown): unknown };
  baseUrl?: string;
  route?: { path?: unknown };
  query?: Record<string, unknown>;
  body?: unknown;
  ip?: string;
}
interface Layer {
  handle?: unknown;
}

export type ExpressMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;
export type ExpressErrorMiddleware = (
  err: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/**
 * `app.use(obs.express())`, first: one call installs everything. Errors reach Rollbar through an
 * error-handling layer that this middleware keeps just before the application's own error handlers
 * (or last when there are none), so it sees every error and then passes it on unchanged: the response
 * is the one Express or the application's handler would have sent. The route is read when the
 * response finishes (Express matches it after this middleware ran), for the span, the access log and
 * Rollbar alike; nothing on the request or the response is wrapped.
 */
export function createExpressMiddleware(rt: Runtime, hooks: RequestHooks): ExpressMiddleware {
  const onError: ExpressErrorMiddleware = (err, req, res, next) => {
    const r = req as ExpressRequest;
    reportRequestError(rt, requestStateOf(rt, res), err, req, {
      route: routeOf(r),
      query: r.query,
      body: r.body,
      ip: r.ip,
    });
    next(err);
  };
  // The server span (ended on 'close', before our own listener runs) asks for the route itself.
  if (rt.tracing?.backend.active) rt.tracing.module.addRouteResolver(routeOf);

  // The router stack as it was when our error layer was last found in place: requests until the
  // application adds a layer skip the walk over the stack (its layers' handlers are functions of every
  // shape, a megamorphic read per layer per request).
  let placedIn: Layer[] | undefined;
  let placedLength = -1;
  return function sightlineExpress(req, res, next) {
    const stack = (req as ExpressRequest).app?.router?.stack;
    if (stack !== placedIn || stack?.length !== placedLength) {
      placeErrorLayer(req as ExpressRequest, onError);
      placedIn = stack;
      placedLength = stack?.length ?? -1;
    }
    beginRequest(rt, hooks, req, res, routeOf).run(next as () => void);
  };
}

/** The matched route template (`/api/activities/@:handle`), with the mount path of a sub-router. */
function routeOf(req: IncomingMessage): string | undefined {
  const r = req as ExpressRequest;
  const path = r.route?.path;
  return typeof path === 'string' ? `${r.baseUrl ?? ''}${path}` : undefined;
}

/** Keeps our error layer right before the first error-handling layer of the app's router, or last. */
function placeErrorLayer(req: ExpressRequest, onError: ExpressErrorMiddleware): void {
  const app = req.app;
  const stack = app?.router?.stack;
  if (!app || !Array.isArray(stack)) return;
  // Runs on every request: a plain loop, no callback allocated.
  const firstErrorLayer = firstErrorHandler(stack);
  if (firstErrorLayer !== -1 && stack[firstErrorLayer]?.handle === onError) return;
  const ours = stack.findIndex((l) => l.handle === onError);
  let layer: Layer | undefined;
  if (ours === -1) {
    app.use(onError);
    layer = stack.pop();
  } else {
    layer = stack.splice(ours, 1)[0];
  }
  if (!layer) return;
  const before = firstErrorHandler(stack);
  if (before === -1) stack.push(layer);
  else stack.splice(before, 0, layer);
}

/** Index of the first error-handling layer (a handler of four parameters), or -1. */
function firstErrorHandler(stack: Layer[]): number {
  for (let i = 0; i < stack.length; i++) {
    const handle = stack[i]?.handle;
    if (typeof handle === 'function' && handle.length === 4) return i;
  }
  return -1;
}
