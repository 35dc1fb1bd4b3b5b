import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  beginRequest,
  type RequestHooks,
  type RequestState,
  reportRequestError,
  requestStateOf,
  setRoute,
} from '../request';
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

const STATE = Symbol('sightline.request');

/**
 * `app.use(obs.express())`, first: one call installs everything. Errors reach Rollbar through an
 * error-handling layer that this middleware keeps just before the application's own error handlers
 * (or last when there are none), so it sees every error and then passes it on unchanged: the response
 * is the one Express or the application's handler would have sent.
 */
export function createExpressMiddleware(rt: Runtime, hooks: RequestHooks): ExpressMiddleware {
  const onError: ExpressErrorMiddleware = (err, req, _res, next) => {
    const r = req as ExpressRequest & { [STATE]?: RequestState };
    reportRequestError(rt, r[STATE], err, req, { route: routeOf(r), query: r.query, body: r.body, ip: r.ip });
    next(err);
  };

  // One `end` wrapper for every response: it finds the request's state on the response, so a request
  // allocates no closure for it.
  function endWithRoute(this: ServerResponse, ...args: unknown[]) {
    const state = requestStateOf(this) as RequestState;
    setRoute(rt, state, routeOf(state.req as ExpressRequest));
    return (state.wrappedEnd as EndFn).apply(this, args);
  }

  return function sightlineExpress(req, res, next) {
    const r = req as ExpressRequest & { [STATE]?: RequestState };
    if (r[STATE]) return next(); // installed twice, or a sub-app: one segment per request
    placeErrorLayer(r, onError);
    const state = beginRequest(rt, hooks, req, res);
    r[STATE] = state;
    // The route is known only once a route matched; take it when the response is ended, before the
    // http instrumentation ends the server span.
    const end = res.end as EndFn;
    if (requestStateOf(res) === state) {
      state.wrappedEnd = end;
      res.end = endWithRoute as ServerResponse['end'];
    } else {
      // Another adapter's state is the one on the response: this request keeps its own wrapper.
      res.end = function endWithOwnRoute(this: ServerResponse, ...args: unknown[]) {
        setRoute(rt, state, routeOf(r));
        return end.apply(this, args);
      } as ServerResponse['end'];
    }
    state.run(next as () => void);
  };
}

type EndFn = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

function routeOf(req: ExpressRequest): string | undefined {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : undefined;
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
