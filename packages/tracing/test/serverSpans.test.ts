import { EventEmitter } from 'node:events';
import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  context,
  createContextKey,
  propagation,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addRouteResolver,
  afterServerSpan,
  extendServerContext,
  serverSpanAttachment,
  setHttpRoute,
  type TracingBackend,
  withSpan,
} from '../src/index';
import { startInMemory } from './memory';

/** One request with exactly these options; tracing suppressed so the client adds no span or header. */
function send(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<number> {
  return context.with(suppressTracing(context.active()), () => {
    return new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: options.method ?? 'GET',
          path: options.path ?? '/',
          headers: options.headers,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  });
}

describe('server spans (node:http, without the http instrumentation’s server side)', () => {
  let backend: TracingBackend | undefined;
  let memory: InMemorySpanExporter;
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    await backend?.shutdown(1000);
    backend = undefined;
  });

  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
    const started = startInMemory({ instrumentations: { http: true, undici: false } });
    backend = started.backend;
    memory = started.memory;
    server = createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  const finished = (count: number) =>
    vi.waitFor(async () => {
      await backend?.forceFlush(1000);
      const spans = memory.getFinishedSpans();
      if (spans.length < count) throw new Error(`${spans.length} of ${count} spans so far`);
      return spans;
    });
  const serverSpanOf = (spans: ReadableSpan[]) => spans.find((s) => s.kind === SpanKind.SERVER);

  it('records the stable HTTP attributes, the route and the status, and names the span after the route', async () => {
    const port = await serve((_req, res) => {
      setHttpRoute('/api/things/:id');
      res.statusCode = 201;
      res.end('ok');
    });
    await send(port, {
      path: '/api/things/7?q=1',
      headers: { 'user-agent': 'agent/1.0', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' },
    });
    const span = serverSpanOf(await finished(1));
    expect(span?.name).toBe('GET /api/things/:id');
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': port,
      'network.peer.address': '127.0.0.1',
      'network.protocol.version': '1.1',
      'user_agent.original': 'agent/1.0',
      'url.path': '/api/things/7',
      'url.query': 'q=1',
      'client.address': '203.0.113.9',
      'http.route': '/api/things/:id',
      'http.response.status_code': 201,
    });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('extracts a request carrying only one of the propagated headers, and starts a root for one carrying none', async () => {
    const baggage: (string | undefined)[] = [];
    const port = await serve((_req, res) => {
      baggage.push(propagation.getBaggage(context.active())?.getEntry('tenant')?.value);
      res.end();
    });
    await send(port, { headers: { baggage: 'tenant=acme' } });
    await send(port, { headers: { tracestate: 'vendor=1' } });
    expect(baggage).toEqual(['acme', undefined]);
    const roots = (await finished(2)).filter((s) => s.kind === SpanKind.SERVER);
    expect(roots.map((s) => s.parentSpanContext)).toEqual([undefined, undefined]);
    expect(new Set(roots.map((s) => s.spanContext().traceId)).size).toBe(2);
  });

  it('extracts every request when another propagator was registered first (it may read any header)', async () => {
    const tenant = createContextKey('tenant');
    const theirs: TextMapPropagator = {
      inject() {},
      extract: (ctx, carrier, getter) => ctx.setValue(tenant, getter.get(carrier, 'x-tenant')),
      fields: () => ['traceparent'],
    };
    propagation.setGlobalPropagator(theirs);
    try {
      const seen: unknown[] = [];
      const port = await serve((_req, res) => {
        seen.push(context.active().getValue(tenant));
        res.end();
      });
      await send(port, { headers: { 'x-tenant': 'acme' } });
      expect(seen).toEqual(['acme']);
    } finally {
      propagation.disable();
    }
  });

  it('asks the route resolvers at the end when nothing set the route, and setHttpRoute wins over them', async () => {
    // What a framework adapter registers once: the route its router matched, read when the response ends.
    const matched = new WeakMap<IncomingMessage, string>();
    const remove = addRouteResolver((req) => matched.get(req));
    try {
      const port = await serve((req, res) => {
        matched.set(req, '/things/:id');
        if (req.url === '/explicit') setHttpRoute('/explicit-route');
        res.end();
      });
      await send(port, { path: '/things/1' });
      await send(port, { path: '/explicit' });
      const spans = (await finished(2)).filter((s) => s.kind === SpanKind.SERVER);
      expect(spans.map((s) => [s.name, s.attributes['http.route']]).sort()).toEqual([
        ['GET /explicit-route', '/explicit-route'],
        ['GET /things/:id', '/things/:id'],
      ]);
    } finally {
      remove();
    }
  });

  it('runs body listeners, and the handler they call, in the server span’s context', async () => {
    const port = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      // 'end' comes from the socket, outside the 'request' call: the span must still be current.
      req.on('end', () => {
        withSpan('parse-body', () => body.length);
        res.end(body);
      });
    });
    await send(port, { method: 'POST', path: '/upload', body: 'x'.repeat(100_000) });
    const spans = await finished(2);
    const serverSpan = serverSpanOf(spans);
    const child = spans.find((s) => s.name === 'parse-body');
    expect(child?.spanContext().traceId).toBe(serverSpan?.spanContext().traceId);
    expect(child?.parentSpanContext?.spanId).toBe(serverSpan?.spanContext().spanId);
  });

  it('runs later events in the context extendServerContext gave the request', async () => {
    const KEY = createContextKey('test: added by the facade');
    let seen: unknown = 'unset';
    let extended: unknown;
    const port = await serve((req, res) => {
      extended = extendServerContext(res, (ctx) => ctx.setValue(KEY, 'segment'))?.getValue(KEY);
      req.resume();
      // 'end' comes from the socket, after this handler returned.
      req.on('end', () => {
        seen = context.active().getValue(KEY);
        res.end();
      });
    });
    await send(port, { method: 'POST', path: '/upload', body: 'x'.repeat(100_000) });
    // The context returned is the one the later events run in.
    expect(extended).toBe('segment');
    expect(seen).toBe('segment');
    expect(extendServerContext({} as ServerResponse, (ctx) => ctx)).toBeUndefined();
  });

  it('keeps a borrowed emit working on the object it is called on', async () => {
    const heard: unknown[] = [];
    const port = await serve((req, res) => {
      const other = new EventEmitter();
      other.on('ping', (value) => heard.push(value));
      const { emit } = req;
      emit.call(other, 'ping', 42);
      res.end();
    });
    expect(await send(port, {})).toBe(200);
    expect(heard).toEqual([42]);
  });

  it('marks 5xx responses as errors, leaves 4xx unset, and keeps an unknown method as _OTHER', async () => {
    const port = await serve((req, res) => {
      res.statusCode = req.url === '/fail' ? 503 : 404;
      res.end();
    });
    await send(port, { path: '/fail' });
    await send(port, { path: '/missing', method: 'PURGE' });
    const spans = (await finished(2)).filter((s) => s.kind === SpanKind.SERVER);
    const failed = spans.find((s) => s.attributes['url.path'] === '/fail');
    const missing = spans.find((s) => s.attributes['url.path'] === '/missing');
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes['error.type']).toBe('503');
    expect(missing?.status.code).toBe(SpanStatusCode.UNSET);
    expect(missing?.name).toBe('HTTP');
    expect(missing?.attributes).toMatchObject({
      'http.request.method': '_OTHER',
      'http.request.method_original': 'PURGE',
    });
  });

  it('ends the span as an error when the connection closes before the response finished', async () => {
    const port = await serve((req) => {
      // Never answers: the client gives up.
      req.resume();
    });
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/slow' });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 50);
    });
    const span = serverSpanOf(await finished(1));
    expect(span?.attributes['error.type']).toBe('aborted');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('runs what afterServerSpan left once, after the span ended, for finished and cut-off responses', async () => {
    const calls: { path: string; ended: boolean; self: boolean; got: unknown; left: unknown }[] = [];
    let second: boolean | undefined;
    const responses: ServerResponse[] = [];
    const port = await serve((req, res) => {
      responses.push(res);
      const path = req.url ?? '';
      const span = trace.getActiveSpan() as unknown as ReadableSpan;
      const state = { path };
      const registered = afterServerSpan(
        res,
        function (this: ServerResponse, got: unknown) {
          calls.push({ path, ended: span.ended, self: this === res, got, left: serverSpanAttachment(res) });
        },
        state,
      );
      expect(registered).toBe(true);
      expect(serverSpanAttachment(res)).toBe(state);
      second = afterServerSpan(res, () => undefined);
      if (path === '/slow') req.resume();
      else res.end('ok');
    });
    expect(await send(port, { path: '/fast' })).toBe(200);
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/slow' });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 50);
    });
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    // fn gets the attachment; the binding lets go of it once fn has run.
    expect(calls).toEqual([
      { path: '/fast', ended: true, self: true, got: { path: '/fast' }, left: undefined },
      { path: '/slow', ended: true, self: true, got: { path: '/slow' }, left: undefined },
    ]);
    expect(responses.map((r) => serverSpanAttachment(r))).toEqual([undefined, undefined]);
    expect(second).toBe(false);
    // A response without a server span (a plain object here) gets no hook: the caller listens itself.
    expect(afterServerSpan({} as ServerResponse, () => undefined)).toBe(false);
  });

  it('makes no span for an OTLP export received in this process, and none once tracing stopped', async () => {
    const port = await serve((_req, res) => res.end());
    await send(port, { headers: { 'user-agent': 'OTel-OTLP-Exporter-JavaScript/0.223.0' } });
    await send(port, { path: '/counted' });
    const spans = await finished(1);
    expect(spans.map((s) => s.attributes['url.path'])).toEqual(['/counted']);

    // While on, the request's and the response's events go through the prototypes' emit; the objects
    // themselves get no property (their shapes stay Node's own).
    expect(Object.hasOwn(IncomingMessage.prototype, 'emit')).toBe(true);
    expect(Object.hasOwn(ServerResponse.prototype, 'emit')).toBe(true);
    await backend?.shutdown(1000);
    backend = undefined;
    expect(Object.hasOwn(IncomingMessage.prototype, 'emit')).toBe(false);
    expect(Object.hasOwn(ServerResponse.prototype, 'emit')).toBe(false);
    // Unpatched: the server still answers, and there is no active span in its handler.
    let active: unknown = 'unset';
    server?.removeAllListeners('request');
    server?.on('request', (_req, res: ServerResponse) => {
      active = trace.getActiveSpan();
      res.end();
    });
    expect(await send(port, { path: '/after' })).toBe(200);
    expect(active).toBeUndefined();
  });

  it('leaves a later patch of Server.prototype.emit in place when it stops (ours turns into a pass-through)', async () => {
    const before = Object.getOwnPropertyDescriptor(Server.prototype, 'emit');
    const port = await serve((_req, res) => res.end());
    const ours = Server.prototype.emit;
    let seen = 0;
    // Another library patches after us, as an APM agent would.
    Server.prototype.emit = function theirs(this: Server, event: string | symbol, ...args: unknown[]) {
      if (event === 'request') seen++;
      return (ours as (this: Server, ...a: unknown[]) => boolean).call(this, event, ...args);
    } as Server['emit'];
    const theirs = Server.prototype.emit;
    try {
      await backend?.shutdown(1000);
      backend = undefined;
      expect(Server.prototype.emit).toBe(theirs);
      expect(await send(port, { path: '/still-served' })).toBe(200);
      expect(seen).toBe(1);
      expect(memory.getFinishedSpans()).toEqual([]);
    } finally {
      // Put the prototype back as it was before this test's tracing started.
      if (before) Object.defineProperty(Server.prototype, 'emit', before);
      else delete (Server.prototype as { emit?: unknown }).emit;
    }
  });
});
