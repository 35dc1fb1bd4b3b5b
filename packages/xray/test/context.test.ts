import http from 'node:http';
import { type AddressInfo, Socket } from 'node:net';
import { context, createContextKey } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentSink } from '../src/emitter';
import {
  contextPropagates,
  createXRay,
  resolveXRayConfig,
  type XRayBackend,
  XRayContextMissingError,
} from '../src/index';
import { request, SAMPLE_ALL, tick } from './helpers';

/** A sink of our own seam that keeps documents in memory. */
function memorySink(): DocumentSink & { docs: Record<string, unknown>[] } {
  const docs: Record<string, unknown>[] = [];
  return {
    docs,
    send: (json) => {
      docs.push(JSON.parse(json));
    },
    flush: async () => {},
    close: async () => {},
    stats: () => ({ sent: docs.length, dropped: {}, pending: 0 }),
    drop: () => {},
  };
}

const backends: XRayBackend[] = [];
function make(options: Parameters<typeof resolveXRayConfig>[0] = {}) {
  const sink = memorySink();
  const { config } = resolveXRayConfig(
    { samplingRules: SAMPLE_ALL, ...(typeof options === 'object' ? options : {}) },
    {},
  );
  const xray = createXRay(config, { sink });
  backends.push(xray);
  return { xray, sink };
}

afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.shutdown(100)));
  context.disable();
});

describe('one context for X-Ray and OpenTelemetry', () => {
  it('registers AsyncLocalStorage when nobody did, and unregisters it on shutdown', async () => {
    expect(contextPropagates()).toBe(false);
    const { xray } = make();
    expect(contextPropagates()).toBe(true);
    const seg = xray.openRequestSegment(request('/'));
    const ids = await seg.run(async () => {
      await tick();
      return xray.currentTraceIds();
    });
    expect(ids?.segmentId).toBe(seg.id);
    await xray.shutdown(100);
    expect(contextPropagates()).toBe(false);
  });

  it('uses the context manager tracing registered, and leaves it registered', async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    expect(context.setGlobalContextManager(manager)).toBe(true);
    const { xray } = make();
    const otelKey = createContextKey('otel-span-stand-in');
    const seen = await context.with(context.active().setValue(otelKey, 'server-span'), () => {
      const seg = xray.openRequestSegment(request('/'));
      return seg.run(async () => {
        await tick();
        // Both values live in the same context: the X-Ray entity on top of the OTel one.
        return {
          otel: context.active().getValue(otelKey),
          xray: xray.currentTraceIds()?.segmentId === seg.id,
        };
      });
    });
    expect(seen).toEqual({ otel: 'server-span', xray: true });
    await xray.shutdown(100);
    expect(contextPropagates()).toBe(true);
  });
});

describe('RequestSegment.bind', () => {
  it("runs a request body's events with the segment current, and restores the classes' emit on shutdown", async () => {
    const { xray } = make();
    const originals = [http.IncomingMessage.prototype.emit, http.ServerResponse.prototype.emit];
    const seen: { data?: string; end?: string; finish?: string } = {};
    let segmentId = '';
    const server = http.createServer((req, res) => {
      const seg = xray.openRequestSegment(request('/'));
      segmentId = seg.id;
      seg.bind(req, res);
      // Added outside seg.run: only the binding can make these listeners see the segment.
      req.on('data', () => {
        seen.data = xray.currentTraceIds()?.segmentId;
      });
      req.on('end', () => {
        seen.end = xray.currentTraceIds()?.segmentId;
        res.end('ok');
      });
      res.on('finish', () => {
        seen.finish = xray.currentTraceIds()?.segmentId;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'hello' });
      expect(await response.text()).toBe('ok');
      await tick();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toEqual({ data: segmentId, end: segmentId, finish: segmentId });
    expect(Object.hasOwn(http.IncomingMessage.prototype, 'emit')).toBe(true);
    await xray.shutdown(100);
    expect([http.IncomingMessage.prototype.emit, http.ServerResponse.prototype.emit]).toEqual(originals);
  });

  it('patches nothing once every backend has shut down (a segment opened just before)', async () => {
    const { xray } = make();
    const seg = xray.openRequestSegment(request('/'));
    await xray.shutdown(100);
    const originals = [http.IncomingMessage.prototype.emit, http.ServerResponse.prototype.emit];
    const req = new http.IncomingMessage(new Socket());
    seg.bind(req, new http.ServerResponse(req));
    expect([http.IncomingMessage.prototype.emit, http.ServerResponse.prototype.emit]).toEqual(originals);
  });
});

describe('no cls-hooked on our path', () => {
  it('creates no cls-hooked namespace, even with segments, subsegments and centralized sampling', async () => {
    const { xray, sink } = make({ centralizedSampling: true, daemonAddress: '127.0.0.1:9' });
    const seg = xray.openRequestSegment(request('/'));
    await seg.run(() => xray.subsegment('work', async () => tick()));
    seg.close({ statusCode: 200 });
    await tick(); // the finished segment is handed to the sink at the end of the turn
    const namespaces = (process as unknown as { namespaces?: Record<string, unknown> }).namespaces ?? {};
    expect(namespaces).not.toHaveProperty('AWSXRay');
    expect(sink.docs[0]).toMatchObject({
      aws: { xray: { sdk: 'X-Ray for Node.js', package: '@sightline/xray' } },
    });
  });
});

describe('context missing', () => {
  it('runs the function without recording by default (LOG_ERROR warns once, never throws)', () => {
    const { xray, sink } = make();
    expect(xray.subsegment('outside', () => 42)).toBe(42);
    expect(() => xray.addAnnotation('k', 'v')).not.toThrow();
    expect(xray.currentTraceIds()).toBeUndefined();
    expect(sink.docs).toEqual([]);
  });

  it('throws XRayContextMissingError with RUNTIME_ERROR, as the user asked', () => {
    const { xray } = make({ contextMissing: 'RUNTIME_ERROR' });
    expect(() => xray.subsegment('outside', () => 1)).toThrow(XRayContextMissingError);
  });
});

describe('finished segments', () => {
  it('reach the sink together at the end of the turn, count as pending until then, and forceFlush hands them over', async () => {
    const { xray, sink } = make();
    const a = xray.openRequestSegment(request('/a'));
    const b = xray.openRequestSegment(request('/b'));
    a.close({ statusCode: 200 });
    b.close({ statusCode: 404 });
    expect(sink.docs).toEqual([]);
    expect(xray.stats().pending).toBe(2);
    await tick();
    expect(sink.docs.map((d) => d.id)).toEqual([a.id, b.id]);
    expect(xray.stats().pending).toBe(0);

    const c = xray.openRequestSegment(request('/c'));
    c.close({ statusCode: 200 });
    const report = await xray.forceFlush(100);
    expect(sink.docs.map((d) => d.id)).toEqual([a.id, b.id, c.id]);
    expect(report.pending).toBe(0);
  });

  it('closed just before shutdown, are still sent by it', async () => {
    const { xray, sink } = make();
    const a = xray.openRequestSegment(request('/a'));
    a.close({ statusCode: 200 });
    await xray.shutdown(100);
    expect(sink.docs.map((d) => d.id)).toEqual([a.id]);
  });
});

describe('background work outliving the request', () => {
  it('sends the segment when its last subsegment closes, or at shutdown with the open one in progress', async () => {
    const { xray, sink } = make();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const a = xray.openRequestSegment(request('/a'));
    const pending = a.run(() => xray.subsegment('late', () => gate));
    a.close({ statusCode: 200 });
    expect(sink.docs).toEqual([]);
    release();
    await pending;
    await tick();
    expect(sink.docs).toHaveLength(1);
    expect(sink.docs[0]).toMatchObject({ id: a.id, subsegments: [{ name: 'late' }] });

    const b = xray.openRequestSegment(request('/b'));
    void b.run(() => xray.subsegment('never', () => new Promise(() => {})));
    b.close({ statusCode: 200 });
    await xray.shutdown(100);
    expect(sink.docs[1]).toMatchObject({ id: b.id, subsegments: [{ name: 'never', in_progress: true }] });
  });
});
