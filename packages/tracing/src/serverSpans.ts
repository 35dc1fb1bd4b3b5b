import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import {
  type Attributes,
  type Context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed, RPCType, setRPCMetadata } from '@opentelemetry/core';
import { type Emit, firstForwardedFor, patchEmit, patchEmitInContext } from '@sightline/core';
import { activeContext, applyInContext } from './contextManager';
import { KNOWN_METHODS, methodAttributes, splitHost } from './httpAttributes';
import { LinkedContext } from './linkedContext';

/**
 * Server spans for every node:http and node:https server, with the attributes of OpenTelemetry's http
 * instrumentation (stable semantic conventions) at a fraction of its cost. That instrumentation keeps
 * doing client spans; its server side is what this replaces: it binds the request and the response
 * by patching eight methods of each and wrapping every listener, and records every attribute in both
 * convention sets. Here the request's and the response's events run in the request's context, which is
 * what the binding is for: a body parser's 'data'/'end' listeners, and the handler they call, run in the
 * server span's context instead of the socket's.
 *
 * Nothing is added to the request or the response objects: Node's own stream and http code reads them
 * at call sites shared by every request (and, for streams, by sockets and files), and objects of one
 * class keep one shape there. So `emit` is patched once on `IncomingMessage.prototype` and
 * `ServerResponse.prototype`, and each request's binding is found in a WeakMap (entries removed when
 * the request and the response close). The request-overhead benchmark measured the same throughput
 * either way (an own `emit` and a symbol property per object before): this is for the objects' sake.
 */

/**
 * One traced request: the context its request's and response's events run in, the server span (until
 * it ends) and what `afterServerSpan` left. Found under both the request and the response.
 */
interface Binding {
  ctx: Context;
  span: Span | undefined;
  request: IncomingMessage;
  rpc: { route?: string };
  after: ((this: ServerResponse, attachment: unknown) => void) | undefined;
  /** What the caller of `afterServerSpan` keeps with the response until then. */
  attachment: unknown;
}

/** Each traced request and response → its binding. */
const bindings = new WeakMap<object, Binding>();

/** Finds the route template of a request a framework matched (Express's `req.route`), at the end. */
export type RouteResolver = (request: IncomingMessage) => string | undefined;
const routeResolvers = new Set<RouteResolver>();

/**
 * Registers a function that names the route of a finished request when nothing called `setHttpRoute`
 * during it (a framework adapter registers one, once). Returns the function that removes it.
 */
export function addRouteResolver(resolver: RouteResolver): () => void {
  routeResolvers.add(resolver);
  return () => routeResolvers.delete(resolver);
}

export interface ServerSpanOptions {
  /** Requests for which no span is made (OTLP exports received in this process). */
  ignore(request: IncomingMessage): boolean;
  /**
   * The (lower-case) headers the registered propagator reads, when that propagator is known to read
   * nothing else (the one `startTracing` registered): a request carrying none of them starts a new trace
   * without running the propagators. Default: every request is extracted.
   */
  propagationHeaders?: readonly string[];
}

/**
 * Patches `http.Server.prototype.emit` and `https.Server.prototype.emit` (shared by CommonJS and ESM
 * importers alike) so every 'request' gets a server span, and the `emit` of `IncomingMessage` and
 * `ServerResponse` (https uses the same classes) so a traced request's events run in its context.
 * Returns the function that restores them.
 */
export function enableServerSpans(tracer: Tracer, options: ServerSpanOptions): () => void {
  let on = true;
  const restores = [http, https].map((module) =>
    patchEmit(
      module.Server.prototype,
      (original) =>
        function emitWithServerSpan(this: unknown, event: string | symbol, ...args: unknown[]) {
          if (event !== 'request' || !on) return original.call(this, event, ...args);
          return onRequest(
            tracer,
            options,
            original,
            this,
            args[0] as IncomingMessage,
            args[1] as ServerResponse,
          );
        },
    ),
  );
  restores.push(
    patchEmitInContext(
      [http.IncomingMessage.prototype, http.ServerResponse.prototype],
      bindings,
      applyInContext,
      endOnResponseClose,
    ),
  );
  return () => {
    on = false;
    for (const restore of restores) restore();
  };
}

function onRequest(
  tracer: Tracer,
  options: ServerSpanOptions,
  emit: Emit,
  server: unknown,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  let ctx: Context;
  try {
    if (options.ignore(request) || isTracingSuppressed(activeContext())) {
      return emit.call(server, 'request', request, response);
    }
    const parent = carriesPropagation(request, options.propagationHeaders)
      ? propagation.extract(LinkedContext.ROOT, request.headers)
      : LinkedContext.ROOT;
    const attributes: Attributes = {};
    const { spanName } = methodAttributes(request.method ?? 'GET', attributes);
    // Attributes are set after the start, in one pass: the SDK copies start-time attributes three
    // times (two sanitizing passes, then into the span), and none of our samplers reads them. An
    // unsampled request skips them altogether.
    const span = tracer.startSpan(spanName, { kind: SpanKind.SERVER }, parent);
    if (span.isRecording()) {
      addRequestAttributes(request, attributes);
      span.setAttributes(attributes);
    }
    // setHttpRoute (OpenTelemetry's convention) finds the span and records the route here.
    const rpc = { type: RPCType.HTTP as const, span } as { type: RPCType.HTTP; span: Span; route?: string };
    ctx = setRPCMetadata(trace.setSpan(parent, span), rpc);
    const binding: Binding = { ctx, span, request, rpc, after: undefined, attachment: undefined };
    bindings.set(request, binding);
    // The span ends on the response's 'close' (emitted after 'finish' as well as when cut off), seen by
    // the emit patch: no listener is added to the response.
    bindings.set(response, binding);
  } catch {
    // Tracing must never cost the request: serve it untraced.
    return emit.call(server, 'request', request, response);
  }
  return applyInContext(ctx, emit, server, ['request', request, response]);
}

/** Whether `request` has any of `headers` (every request does when the list is not known). */
function carriesPropagation(request: IncomingMessage, headers: readonly string[] | undefined): boolean {
  if (headers === undefined) return true;
  const received = request.headers;
  for (let i = 0; i < headers.length; i++) {
    if (received[headers[i] as string] !== undefined) return true;
  }
  return false;
}

/**
 * Runs `fn` (with the response as `this` and `attachment` as its argument) once the response closed
 * and its server span ended (after the response's own 'close' listeners), where the span is ended: a
 * 'close' listener per response costs its listener table. `attachment` rides in the response's
 * binding until then (`serverSpanAttachment`), where a caller would otherwise keep a map of its own
 * keyed by the response: one more insert, lookup and delete per request. Returns false when the
 * response has no server span (not traced, already closed, or already taken); the caller then does
 * both itself.
 */
export function afterServerSpan(
  response: ServerResponse,
  fn: (this: ServerResponse, attachment: unknown) => void,
  attachment?: unknown,
): boolean {
  const binding = bindings.get(response);
  if (binding === undefined || binding.span === undefined || binding.after !== undefined) return false;
  binding.after = fn;
  binding.attachment = attachment;
  return true;
}

/**
 * Replaces the context the response's request runs its later events in (a body's 'data' and 'end', the
 * response's 'finish') with `extend(context)`: the facade adds the request's X-Ray segment, so a handler
 * called from a body parser's 'end' finds it as well as the server span. Returns that context (for the
 * caller to run the rest of the request in: `runInContext`), or undefined when the response has no
 * server span.
 */
export function extendServerContext(
  response: ServerResponse,
  extend: (ctx: Context) => Context,
): Context | undefined {
  const binding = bindings.get(response);
  if (binding === undefined || binding.span === undefined) return undefined;
  binding.ctx = extend(binding.ctx);
  return binding.ctx;
}

/** What `afterServerSpan` attached to the response, until its `fn` has run. */
export function serverSpanAttachment(response: ServerResponse): unknown {
  return bindings.get(response)?.attachment;
}

/** The emit patch's `onClose`: the request's 'close' does nothing, the response's ends the span. */
function endOnResponseClose(emitter: object, binding: Binding): void {
  if (emitter !== binding.request) endServerSpan(emitter as ServerResponse, binding);
}

function endServerSpan(response: ServerResponse, binding: Binding): void {
  const span = binding.span;
  if (span === undefined) return;
  binding.span = undefined;
  endSpan(response, binding, span);
  const after = binding.after;
  if (after === undefined) return;
  binding.after = undefined;
  try {
    after.call(response, binding.attachment);
  } catch {
    // what runs after the span is the caller's to guard; a throw must not reach the response's emit
  } finally {
    binding.attachment = undefined;
  }
}

function endSpan(response: ServerResponse, binding: Binding, span: Span): void {
  try {
    if (binding.rpc.route === undefined) nameRoute(span, binding.request);
    // A response cut off before it finished is an error even when its status says otherwise.
    const status = response.headersSent || response.writableFinished ? response.statusCode : undefined;
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    if (!response.writableFinished) {
      span.setAttribute('error.type', 'aborted');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the response was not finished' });
    } else if (status !== undefined && status >= 500) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  } catch {
    // a span that cannot be ended is lost, the response is not
  }
}

function nameRoute(span: Span, request: IncomingMessage): void {
  for (const resolve of routeResolvers) {
    const route = resolve(request);
    if (route === undefined) continue;
    span.setAttribute('http.route', route);
    const method = request.method ?? 'GET';
    if (KNOWN_METHODS.has(method)) span.updateName(`${method} ${route}`);
    return;
  }
}

/** The other stable HTTP server attributes, as `@opentelemetry/instrumentation-http` records them. */
function addRequestAttributes(request: IncomingMessage, attributes: Attributes): void {
  const socket = request.socket as (IncomingMessage['socket'] & { encrypted?: boolean }) | undefined;
  attributes['url.scheme'] = socket?.encrypted ? 'https' : 'http';
  const host = request.headers.host;
  if (host) {
    const { address, port } = splitHost(host);
    attributes['server.address'] = address;
    if (port !== undefined) attributes['server.port'] = port;
  }
  if (socket?.remoteAddress) attributes['network.peer.address'] = socket.remoteAddress;
  if (socket?.remotePort !== undefined) attributes['network.peer.port'] = socket.remotePort;
  attributes['network.protocol.version'] = request.httpVersion;
  const agent = request.headers['user-agent'];
  if (agent !== undefined) attributes['user_agent.original'] = agent;
  const url = request.url ?? '/';
  const q = url.indexOf('?');
  attributes['url.path'] = q === -1 ? url : url.slice(0, q);
  if (q !== -1 && q < url.length - 1) attributes['url.query'] = url.slice(q + 1);
  const client = firstForwardedFor(request.headers['x-forwarded-for']) ?? socket?.remoteAddress;
  if (client) attributes['client.address'] = client;
}
