import { errorMonitor } from 'node:events';
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapSetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { methodAttributes, splitHost } from './httpAttributes';

/**
 * Client spans for `http.request`/`http.get` and their `https` twins, with the attributes and the
 * behaviour of OpenTelemetry's http instrumentation (stable semantic conventions), without its
 * framework: that one hooks every later `require` of the process (require-in-the-middle) and loaded
 * a third of this package's start-up. The module functions are wrapped in place, which CommonJS
 * callers see at once and ESM named imports see after `syncBuiltinESMExports`.
 *
 * The request is created in the caller's context, so its callback and listeners run there (as the
 * instrumentation arranges by binding them); the span is the parent only of what goes over the wire:
 * its ids are written into the request's trace headers.
 */

export interface ClientSpanOptions {
  /** Requests for which no span is made (Sightline's own deliveries). Gets the created request. */
  ignore(request: ClientRequest): boolean;
}

type RequestFunction = (...args: unknown[]) => ClientRequest;
interface HttpModule {
  request: RequestFunction;
  get: RequestFunction;
}

const HEADER_SETTER: TextMapSetter<ClientRequest> = {
  set(request, key, value) {
    request.setHeader(key, value);
  },
};

/** Wraps `request` and `get` of node:http and node:https. Returns the function that restores them. */
export function enableClientSpans(tracer: Tracer, options: ClientSpanOptions): () => void {
  const restores: (() => void)[] = [];
  let on = true;
  for (const [name, exports] of [
    ['http', http],
    ['https', https],
  ] as const) {
    const module = exports as unknown as HttpModule;
    const originalRequest = module.request;
    const originalGet = module.get;
    const scheme = name === 'https' ? 'https:' : 'http:';
    const request = function request(this: unknown, ...args: unknown[]): ClientRequest {
      const parent = context.active();
      if (!on || isTracingSuppressed(parent)) return originalRequest.apply(this, args);
      const startTime = performance.timeOrigin + performance.now();
      const created = originalRequest.apply(this, args);
      try {
        if (!options.ignore(created)) traceClientRequest(tracer, created, parent, startTime, scheme);
      } catch {
        // Tracing must never cost the call: it goes out untraced.
      }
      return created;
    };
    // As node:http's own `get`: `request` (through the wrapper, which writes the headers) then `end()`.
    const get = function get(this: unknown, ...args: unknown[]): ClientRequest {
      const created = request.apply(this, args);
      created.end();
      return created;
    };
    module.request = request;
    module.get = get;
    restores.push(() => {
      // Someone wrapped over us since (another APM): leave their chain; ours passes through (`on`).
      if (module.request === request) module.request = originalRequest;
      if (module.get === get) module.get = originalGet;
    });
  }
  syncBuiltinESMExports();
  return () => {
    on = false;
    for (const restore of restores) restore();
    syncBuiltinESMExports();
  };
}

function traceClientRequest(
  tracer: Tracer,
  request: ClientRequest,
  parent: Context,
  startTime: number,
  scheme: string,
): void {
  const attributes: Attributes = {};
  const { spanName } = methodAttributes(request.method, attributes);
  const protocol = typeof request.protocol === 'string' ? request.protocol : scheme;
  const hostHeader = request.getHeader('host');
  const authority = typeof hostHeader === 'string' ? hostHeader : request.host;
  const { address, port } = splitHost(authority);
  attributes['server.address'] = unbracket(address);
  attributes['server.port'] = port ?? (protocol === 'https:' ? 443 : 80);
  attributes['url.full'] = `${protocol}//${authority}${request.path}`;
  const span = tracer.startSpan(spanName, { kind: SpanKind.CLIENT, attributes, startTime }, parent);
  // Headers are already written when the caller passed them as an array or with `Expect`.
  if (!request.headersSent) propagation.inject(trace.setSpan(parent, span), request, HEADER_SETTER);

  let ended = false;
  let responded = false;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    if (error !== undefined) recordFailure(span, error);
    span.end();
  };
  request.prependListener('response', (response: IncomingMessage) => {
    responded = true;
    // Node discards a response nobody listens to; our listener must not make it wait forever.
    if (request.listenerCount('response') <= 1) response.resume();
    const status = response.statusCode ?? 0;
    span.setAttribute('http.response.status_code', status);
    span.setAttribute('network.protocol.version', response.httpVersion);
    if (status >= 400) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    response.once('end', () => end());
    response.once(errorMonitor, (error: unknown) => end(error));
    response.once('close', () => {
      if (!response.complete) end(new Error('the response was cut off'));
    });
  });
  request.once(errorMonitor, (error: unknown) => end(error));
  // Aborted or closed before any response: the span ends with the request.
  request.once('close', () => {
    if (!responded) end(new Error('the request closed before a response'));
  });
}

function recordFailure(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: unknown }).code;
  span.setAttribute('error.type', typeof code === 'string' ? code : err.name || '_OTHER');
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

/** An IPv6 address without the brackets it has in a URL's authority. */
function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
