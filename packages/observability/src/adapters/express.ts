import type { IncomingMessage, ServerResponse } from 'node:http';
import { beginRequest, type RequestHooks, type RequestState, reportRequestError, setRoute } from '../request';
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

  // One `end` wrapper for every response: it finds the request through the response, so a request
  // allocates no closure for it.
  function endWithRoute(this: ServerResponse & { [END]?: EndState }, ...args: unknown[]) {
    const e = this[END] as EndState;
    setRoute(rt, e.state, routeOf(e.req));
    return e.end.apply(this, args);
  }

  return function sightlineExpress(req, res, next) {
    const r = req as ExpressRequest & { [STATE]?: RequestState };
    if (r[STATE]) return next(); // installed twice, or a sub-app: one segment per request
    placeErrorLayer(r, onError);
    const state = beginRequest(rt, hooks, req, res);
    r[STATE] = state;
    // The route is known only once a route matched; take it when the response is ended, before the
    // http instrumentation ends the server span.
    (res as ServerResponse & { [END]?: EndState })[END] = { state, req: r, end: res.end as EndFn };
    res.end = endWithRoute as ServerResponse['end'];
    state.run(next as () => void);
  };
}

type EndFn = (this: ServerResponse, ...args: unknown[]) => ServerResponse;
interface EndState {
  state: RequestState;
  req: ExpressRequest;
  end: EndFn;
}
const END = Symbol('sightline.end');

function routeOf(req: ExpressRequest): string | undefined {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : undefined;
}

/** Keeps our error layer right before the first error-handling layer of the app's router, or last. */
function placeErrorLayer(req: ExpressRequest, onError: ExpressErrorMiddleware): void {
  const app = req.app;
  const stack = app?.router?.stack;
  if (!app || !Array.isArray(stack)) return;
  const firstErrorLayer = stack.findIndex((l) => typeof l.handle === 'function' && l.handle.length === 4);
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
  const before = stack.findIndex((l) => typeof l.handle === 'function' && l.handle.length === 4);
  if (before === -1) stack.push(layer);
  else stack.splice(before, 0, layer);
}
