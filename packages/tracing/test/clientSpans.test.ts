import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type TracingBackend, withSpan } from '../src/index';
import { startInMemory } from './memory';

/** A server answering `status` with a small body, echoing the trace headers it got. */
function startServer(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ traceparent: req.headers.traceparent, xray: req.headers['x-amzn-trace-id'] }));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

function get(url: string): Promise<{ status: number; body: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
      })
      .on('error', reject);
  });
}

describe('client spans for node:http and fetch (in-process, real sockets)', () => {
  let backend: TracingBackend;
  let finished: () => Promise<ReadableSpan[]>;
  let server: Server;
  let base: string;
  beforeEach(async () => {
    const started = startInMemory({ serviceName: 'client-test' });
    backend = started.backend;
    finished = async () => {
      await backend.forceFlush(1000);
      return started.memory.getFinishedSpans();
    };
    ({ server, base } = await startServer());
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await backend.shutdown(1000);
  });

  const clientSpans = async (count: number) =>
    vi.waitFor(async () => {
      const clients = (await finished()).filter((s) => s.kind === SpanKind.CLIENT);
      if (clients.length < count) throw new Error(`${clients.length} client spans so far`);
      return clients;
    });

  it('http.get: one client span under the active span, its ids in the trace headers, stable attributes', async () => {
    const { body } = await withSpan('parent', () => get(`${base}/items?id=7`));
    const [client] = await clientSpans(1);
    const parent = (await finished()).find((s) => s.name === 'parent');
    expect(client?.name).toBe('GET');
    expect(client?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(body.traceparent).toBe(`00-${client?.spanContext().traceId}-${client?.spanContext().spanId}-01`);
    expect(body.xray).toContain(`Parent=${client?.spanContext().spanId}`);
    const port = Number(new URL(base).port);
    expect(client?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': port,
      'url.full': `${base}/items?id=7`,
      'http.response.status_code': 200,
      'network.protocol.version': '1.1',
    });
    expect(client?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("runs the response callback in the caller's context, not the client span's", async () => {
    let inCallback: string | undefined;
    await withSpan('caller', () => {
      const callerSpanId = trace.getActiveSpan()?.spanContext().spanId;
      return new Promise<void>((resolve) => {
        http.get(`${base}/`, (res) => {
          inCallback = trace.getActiveSpan()?.spanContext().spanId === callerSpanId ? 'caller' : 'other';
          res.resume().on('end', resolve);
        });
      });
    });
    expect(inCallback).toBe('caller');
  });

  it('marks a 4xx/5xx answer as an error with its status as error.type', async () => {
    await get(`${base}/?status=503`);
    const [client] = await clientSpans(1);
    expect(client?.attributes['http.response.status_code']).toBe(503);
    expect(client?.attributes['error.type']).toBe('503');
    expect(client?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('ends the span with the error when the connection is refused', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await expect(get(`http://127.0.0.1:${closed}/`)).rejects.toThrow(/ECONNREFUSED/);
    const [client] = await clientSpans(1);
    expect(client?.attributes['error.type']).toBe('ECONNREFUSED');
    expect(client?.status.code).toBe(SpanStatusCode.ERROR);
    expect(client?.events.map((e) => e.name)).toContain('exception');
  });

  it('does not keep a response nobody listens to (no response listener): the request completes', async () => {
    await new Promise<void>((resolve, reject) => {
      const request = http.request(`${base}/`);
      request.on('error', reject);
      request.on('close', () => resolve());
      request.end();
    });
    const [client] = await clientSpans(1);
    expect(client?.attributes['http.response.status_code']).toBe(200);
  });

  it('fetch: a client span with the status, its ids in the trace headers; 5xx is an error', async () => {
    const body = (await withSpan('parent', async () => (await fetch(`${base}/a?q=1`)).json())) as {
      traceparent?: string;
    };
    await (await fetch(`${base}/?status=500`)).arrayBuffer();
    const clients = await clientSpans(2);
    const ok = clients.find((s) => s.attributes['url.path'] === '/a');
    const failed = clients.find((s) => s.attributes['http.response.status_code'] === 500);
    expect(body.traceparent).toBe(`00-${ok?.spanContext().traceId}-${ok?.spanContext().spanId}-01`);
    expect(ok?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': `${base}/a?q=1`,
      'url.query': 'q=1',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
    });
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes['error.type']).toBe('500');
  });

  it('fetch: a refused connection is an error, an abort is not', async () => {
    const controller = new AbortController();
    const hanging = createServer(() => controller.abort());
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as AddressInfo).port;
    await expect(fetch(`http://127.0.0.1:${port}/`, { signal: controller.signal })).rejects.toThrow();
    hanging.closeAllConnections();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    const clients = await clientSpans(2);
    const statuses = clients.map((s) => s.status.code).sort();
    expect(statuses).toEqual([SpanStatusCode.UNSET, SpanStatusCode.ERROR].sort());
  });

  it('stops making spans once tracing is shut down, and restores http.request', async () => {
    const wrapped = http.request;
    await backend.shutdown(1000);
    expect(http.request).not.toBe(wrapped);
    await get(`${base}/`);
    expect((await finished()).filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(0);
  });
});
