import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '@opentelemetry/api';
import { redactUrl, TurnQueue } from '@sightline/core';
import type { RequestSegment } from '@sightline/xray';
import { type AccessLogRecord, accessLogFields, clientIp, formatCruddurLine } from './accessLog';
import {
  currentTraceIds,
  incomingParentId,
  markError,
  type Runtime,
  setForcedIds,
  setTraceHeader,
} from './runtime';
import type { TraceIds } from './types';

/** What one request carries from its start to its response's 'close'. */
export interface RequestState {
  readonly ids: TraceIds | undefined;
  readonly segment: RequestSegment | undefined;
  /** `performance.now()` when the request began (a double: a bigint clock allocates each reading). */
  readonly startedAt: number;
  route: string | undefined;
  error: unknown;
  reported: boolean;
  finished: boolean;
  readonly req: IncomingMessage;
  /** Names the route once the response finished, when no adapter set it (Express matches late). */
  routeOf: RouteOf | undefined;
  /** Runs `fn` with the request's X-Ray segment as the current context. */
  run<T>(fn: () => T): T;
}

/** The route template a framework matched for `req`, if any. */
export type RouteOf = (req: IncomingMessage) => string | undefined;

export interface RequestHooks {
  accessLog: 'json' | 'cruddur' | false;
}

/** Extra request facts a framework knows better than node:http (route, parsed query and body, ip). */
export interface FrameworkRequest {
  route?: string;
  query?: Record<string, unknown>;
  body?: unknown;
  ip?: string;
}

/**
 * Opens the request's X-Ray segment with the server span's ids, sets the response trace header, and
 * arranges for the segment to close and the access-log line to be written when the response finishes.
 * A request has one state: a second adapter on the same response (node:http wrapping Express) gets the
 * first one's. Never throws: a failure here is a diagnostic, never a failed request.
 */
export function beginRequest(
  rt: Runtime,
  hooks: RequestHooks,
  req: IncomingMessage,
  res: ServerResponse,
  routeOf?: RouteOf,
): RequestState {
  const existing = requestStateOf(rt, res);
  if (existing !== undefined) {
    existing.routeOf ??= routeOf;
    return existing;
  }
  let ids: TraceIds | undefined;
  try {
    ids = currentTraceIds(rt);
  } catch (error) {
    warn(rt, 'ids', error);
  }
  const protocol = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  let segment: RequestSegment | undefined;
  if (rt.xray) {
    try {
      segment = rt.xray.openRequestSegment(
        {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
          remoteAddress: req.socket?.remoteAddress,
          protocol,
        },
        ids ? { traceId: ids.xrayTraceId, id: ids.spanId, parentId: incomingParentId(req) } : undefined,
      );
    } catch (error) {
      warn(rt, 'segment', error);
    }
  }
  setTraceHeader(res, segment, ids);
  const carried = segment !== undefined ? carrySegment(rt, req, res, segment) : undefined;
  const state = new ActiveRequest(rt, hooks, req, protocol, ids, segment, routeOf, carried);
  // One state and one listener function for every request: no closures per request. 'close' alone:
  // a response emits it after 'finish' as well as when cut off. With a server span, the state rides
  // with it and the listener that ends it runs ours too (a second listener costs an array of them,
  // copied on every emit).
  if (!attachToServerSpan(rt, res, state)) {
    states.set(res, state);
    res.on('close', onResponseDone);
  }
  return state;
}

/**
 * Makes the segment current in the request's later events too (a body's 'data' and 'end' come from the
 * socket, outside the handler's context): a handler a body parser calls from 'end' then opens its
 * subsegments under the segment, as it opens its spans under the server span. With a server span, the
 * segment joins the context tracing already runs those events in, and that context is returned (the
 * adapter runs the rest of the request in it); without one, the request and the response are bound to it.
 */
function carrySegment(
  rt: Runtime,
  req: IncomingMessage,
  res: ServerResponse,
  segment: RequestSegment,
): CarriedContext | undefined {
  try {
    const tracing = rt.tracing;
    let before: Context | undefined;
    const extended = tracing?.backend.active
      ? tracing.module.extendServerContext(res, (ctx) => {
          before = ctx;
          return segment.inContext(ctx);
        })
      : undefined;
    if (extended !== undefined && before !== undefined) return { before, extended };
    segment.bind(req, res);
  } catch (error) {
    warn(rt, 'segment-context', error);
  }
  return undefined;
}

/** Hands the state and `onResponseDone` to the response's server span; false when there is none. */
function attachToServerSpan(rt: Runtime, res: ServerResponse, state: ActiveRequest): boolean {
  if (!rt.tracing?.backend.active) return false;
  try {
    return rt.tracing.module.afterServerSpan(res, onTracedResponseDone, state);
  } catch {
    return false;
  }
}

/** The state `beginRequest` attached to this response: with its server span, or in `states`. */
export function requestStateOf(rt: Runtime, res: ServerResponse): RequestState | undefined {
  const attached = rt.tracing?.backend.active ? rt.tracing.module.serverSpanAttachment(res) : undefined;
  return attached instanceof ActiveRequest ? attached : states.get(res);
}

/**
 * The state of a response without a server span, beside it rather than on it: by the time an adapter
 * runs, the framework has decorated the response, and one more property made V8 copy its grown
 * property store (about 1.5 KB per request, measured).
 */
const states = new WeakMap<ServerResponse, ActiveRequest>();

function onResponseDone(this: ServerResponse): void {
  const state = states.get(this);
  if (state === undefined) return;
  // Removed now rather than when the response is collected: an entry keeps its state (and through it
  // the request) reachable from the map, and the young-generation collector copied whole requests.
  states.delete(this);
  finishRequest(state, this);
}

/** Run by the server span's listener, once the span ended, with the state attached to it. */
function onTracedResponseDone(this: ServerResponse, state: unknown): void {
  if (state instanceof ActiveRequest) finishRequest(state, this);
}

/** The state of one request; a class so that a request allocates one object, not a set of closures. */
class ActiveRequest implements RequestState {
  readonly startedAt = performance.now();
  route: string | undefined = undefined;
  error: unknown = undefined;
  reported = false;
  finished = false;

  constructor(
    readonly rt: Runtime,
    readonly hooks: RequestHooks,
    readonly req: IncomingMessage,
    readonly protocol: 'http' | 'https',
    readonly ids: TraceIds | undefined,
    readonly segment: RequestSegment | undefined,
    public routeOf: RouteOf | undefined,
    /** The server span's context with the segment in it, when tracing carries the segment. */
    readonly carried: CarriedContext | undefined,
  ) {}

  run<T>(fn: () => T): T {
    // Still in the server span's own context (nothing ran the adapter in another): straight into the
    // one tracing already extended with the segment, without a second copy of it or the API's lookup
    // of its manager. Otherwise the segment joins whatever context is active.
    const tracing = this.rt.tracing;
    const carried = this.carried;
    if (carried !== undefined && tracing !== undefined && tracing.module.activeContext() === carried.before) {
      return tracing.module.runInContext(carried.extended, call, fn);
    }
    return this.segment ? this.segment.run(fn) : fn();
  }
}

/** The context a request's events ran in before the facade added its segment, and after. */
interface CarriedContext {
  before: Context;
  extended: Context;
}

function call<T>(fn: () => T): T {
  return fn();
}

/** Names the server span after the route template (`GET /api/activities/@:handle`). */
export function setRoute(rt: Runtime, state: RequestState, route: string | undefined): void {
  if (!route || state.route === route) return;
  state.route = route;
  if (!rt.tracing?.backend.active) return;
  try {
    rt.tracing.module.setHttpRoute(route);
  } catch (error) {
    warn(rt, 'route', error);
  }
}

/** Reports a handler error to Rollbar once, and marks the span and the segment. Never throws. */
export function reportRequestError(
  rt: Runtime,
  state: RequestState | undefined,
  error: unknown,
  req: IncomingMessage,
  framework: FrameworkRequest = {},
): void {
  if (state?.reported) return;
  if (state) {
    state.reported = true;
    state.error = error;
  }
  markError(rt, error, state?.segment);
  if (!rt.errors) return;
  safe(rt, 'report', () =>
    rt.errors?.report(error, {
      request: {
        method: req.method,
        url: req.url,
        route: framework.route ?? state?.route,
        headers: req.headers,
        query: framework.query,
        body: framework.body,
        remoteAddress: clientIp(req.headers['x-forwarded-for'], framework.ip ?? req.socket?.remoteAddress),
      },
    }),
  );
}

function finishRequest(state: ActiveRequest, res: ServerResponse): void {
  if (state.finished) return;
  state.finished = true;
  const { rt, hooks, req } = state;
  // Off, or a logger that writes nowhere (no CloudWatch Logs, console off): no record to build.
  const logging = hooks.accessLog !== false && rt.logger.isLevelEnabled('info');
  if (!logging && state.segment === undefined) return;
  const lengthHeader = res.getHeader('content-length');
  const contentLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
  // A response cut off before it finished is a fault for X-Ray even when the status says otherwise.
  const statusCode = res.writableFinished ? res.statusCode : res.headersSent ? res.statusCode : 499;
  if (state.segment) {
    try {
      state.segment.close({ statusCode, contentLength, error: state.error });
    } catch (error) {
      warn(rt, 'close', error);
    }
  }
  if (!logging) return;
  if (state.route === undefined && state.routeOf !== undefined) {
    try {
      state.route = state.routeOf(req);
    } catch (error) {
      warn(rt, 'route', error);
    }
  }
  try {
    const record = {
      method: req.method ?? 'GET',
      path: redactUrl(req.url ?? '/', rt.redaction),
      route: state.route,
      status: statusCode,
      durationMs: performance.now() - state.startedAt,
      clientIp: clientIp(req.headers['x-forwarded-for'], req.socket?.remoteAddress),
      userAgent: req.headers['user-agent'],
      protocol: state.protocol,
      contentLength: Number.isFinite(contentLength) ? contentLength : undefined,
      // Only Cruddur's text line prints the time (the JSON event has its own timestamp).
      at: hooks.accessLog === 'cruddur' ? new Date() : undefined,
    };
    accessLines.push({
      rt,
      format: hooks.accessLog === 'cruddur' ? 'cruddur' : 'json',
      record,
      ids: state.ids,
    });
  } catch (error) {
    warn(rt, 'access-log', error);
  }
}

/** An access-log line whose facts were read when its response finished, to be written with its ids. */
interface AccessLine {
  rt: Runtime;
  format: 'json' | 'cruddur';
  record: AccessLogRecord;
  ids: TraceIds | undefined;
}

/** Past this many lines waiting for the end of the turn, they are written at once. */
const MAX_QUEUED_LINES = 1024;

/**
 * Access-log lines are formatted and handed to the logger together once per event-loop turn, after
 * the turn's responses (see `TurnQueue`): what each line says was fixed when its response finished.
 */
const accessLines = new TurnQueue<AccessLine>(writeAccessLine, MAX_QUEUED_LINES);

function writeAccessLine({ rt, format, record, ids }: AccessLine): void {
  // The line is written outside the request's context: it carries the request's ids all the same.
  const previous = setForcedIds(ids);
  try {
    if (format === 'cruddur') rt.logger.info(formatCruddurLine(record));
    else rt.logger.info('request', accessLogFields(record));
  } catch (error) {
    warn(rt, 'access-log', error);
  } finally {
    setForcedIds(previous);
  }
}

/** Writes the access-log lines still waiting for the end of the turn (flush and shutdown, first). */
export function writeQueuedAccessLines(): void {
  accessLines.drain();
}

/** Access-log lines waiting for the end of the turn. */
export function queuedAccessLines(): number {
  return accessLines.size;
}

function warn(rt: Runtime, what: string, error: unknown): void {
  rt.diag.warnOnce(`request-${what}`, `request handling (${what}) failed: ${String(error)}`);
}

function safe<T>(rt: Runtime, what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    warn(rt, what, error);
    return undefined;
  }
}
