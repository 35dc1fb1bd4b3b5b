import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactUrl } from '@sightline/core';
import type { RequestSegment } from '@sightline/xray';
import { accessLogFields, clientIp, formatCruddurLine } from './accessLog';
import {
  currentTraceIds,
  incomingParentId,
  markError,
  type Runtime,
  setTraceHeader,
  withIds,
} from './runtime';
import type { TraceIds } from './types';

/** What one request carries from its start to its 'finish'. */
export interface RequestState {
  readonly ids: TraceIds | undefined;
  readonly segment: RequestSegment | undefined;
  readonly startedAt: bigint;
  route: string | undefined;
  error: unknown;
  reported: boolean;
  finished: boolean;
  /** Runs `fn` with the request's X-Ray segment as the current context. */
  run<T>(fn: () => T): T;
}

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
 * Never throws: a failure here is a diagnostic, never a failed request.
 */
export function beginRequest(
  rt: Runtime,
  hooks: RequestHooks,
  req: IncomingMessage,
  res: ServerResponse,
): RequestState {
  const ids = safe(rt, 'ids', () => currentTraceIds(rt));
  const protocol = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  const segment = rt.xray
    ? safe(rt, 'segment', () =>
        rt.xray?.openRequestSegment(
          {
            method: req.method ?? 'GET',
            url: req.url ?? '/',
            headers: req.headers,
            remoteAddress: req.socket?.remoteAddress,
            protocol,
          },
          ids ? { traceId: ids.xrayTraceId, id: ids.spanId, parentId: incomingParentId(req) } : undefined,
        ),
      )
    : undefined;
  setTraceHeader(res, segment, ids);
  const state: RequestState = {
    ids,
    segment,
    startedAt: process.hrtime.bigint(),
    route: undefined,
    error: undefined,
    reported: false,
    finished: false,
    run: (fn) => (segment ? segment.run(fn) : fn()),
  };
  const onDone = () => finishRequest(rt, hooks, state, req, res, protocol);
  res.once('finish', onDone);
  res.once('close', onDone);
  return state;
}

/** Names the server span after the route template (`GET /api/activities/@:handle`). */
export function setRoute(rt: Runtime, state: RequestState, route: string | undefined): void {
  if (!route || state.route === route) return;
  state.route = route;
  if (rt.tracing?.backend.active) safe(rt, 'route', () => rt.tracing?.module.setHttpRoute(route));
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

function finishRequest(
  rt: Runtime,
  hooks: RequestHooks,
  state: RequestState,
  req: IncomingMessage,
  res: ServerResponse,
  protocol: 'http' | 'https',
): void {
  if (state.finished) return;
  state.finished = true;
  const lengthHeader = res.getHeader('content-length');
  const contentLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
  // A response cut off before it finished is a fault for X-Ray even when the status says otherwise.
  const statusCode = res.writableFinished ? res.statusCode : res.headersSent ? res.statusCode : 499;
  safe(rt, 'close', () => state.segment?.close({ statusCode, contentLength, error: state.error }));
  if (hooks.accessLog === false) return;
  safe(rt, 'access-log', () => {
    const record = {
      method: req.method ?? 'GET',
      path: redactUrl(req.url ?? '/', rt.redaction),
      route: state.route,
      status: statusCode,
      durationMs: Number(process.hrtime.bigint() - state.startedAt) / 1e6,
      clientIp: clientIp(req.headers['x-forwarded-for'], req.socket?.remoteAddress),
      userAgent: req.headers['user-agent'],
      protocol,
      contentLength: Number.isFinite(contentLength) ? contentLength : undefined,
      at: new Date(),
    };
    withIds(state.ids, () => {
      if (hooks.accessLog === 'cruddur') rt.logger.info(formatCruddurLine(record));
      else rt.logger.info('request', accessLogFields(record));
    });
  });
}

function safe<T>(rt: Runtime, what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    rt.diag.warnOnce(`request-${what}`, `request handling (${what}) failed: ${String(error)}`);
    return undefined;
  }
}
