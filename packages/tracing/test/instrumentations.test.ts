import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TracingBackend } from '../src/index';
import { isTelemetryDelivery } from '../src/instrumentations';
import { startInMemory } from './memory';

function post(port: number, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('outgoing requests that are Sightline deliveries are not traced', () => {
  let backend: TracingBackend | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await backend?.shutdown(1000);
    backend = server = undefined;
  });

  it('recognizes CloudWatch Logs and Rollbar requests by their protocol headers', () => {
    // A request's getHeader, which is case-insensitive.
    const request = (headers: Record<string, string>) => ({
      getHeader: (name: string) =>
        Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1],
    });
    expect(isTelemetryDelivery(request({ 'X-Amz-Target': 'Logs_20140328.PutLogEvents' }))).toBe(true);
    expect(isTelemetryDelivery(request({ 'X-Rollbar-Access-Token': 'fake-token' }))).toBe(true);
    expect(isTelemetryDelivery(request({ 'x-amz-target': 'DynamoDB_20120810.GetItem' }))).toBe(false);
    expect(isTelemetryDelivery(request({}))).toBe(false);
  });

  it('creates client spans for the application calls only', async () => {
    const started = startInMemory({ instrumentations: { http: true, undici: false } });
    backend = started.backend;
    server = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await post(port, { 'x-amz-target': 'Logs_20140328.PutLogEvents' });
    await post(port, { 'x-rollbar-access-token': 'fake-token' });
    await post(port, { 'x-amz-target': 'DynamoDB_20120810.GetItem' });
    const clients = await vi.waitFor(async () => {
      await started.backend.forceFlush(1000);
      const spans = started.memory.getFinishedSpans();
      // Three server spans (incoming side is traced), one client span.
      if (spans.filter((s) => s.kind === SpanKind.SERVER).length < 3) throw new Error('not yet');
      return spans.filter((s) => s.kind === SpanKind.CLIENT);
    });
    expect(clients).toHaveLength(1);
  });
});
