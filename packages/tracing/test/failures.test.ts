import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDiagnostics } from '@sightline/core';
import { type Local, startLocal } from '@sightline/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withSpan } from '../src/index';
import { startAgainst, stopAll } from './helpers';

function capture() {
  const lines: string[] = [];
  const diagnostics = createDiagnostics('tracing', { sink: (_level, message) => lines.push(message) });
  return { lines, diagnostics };
}

async function makeSpans(backend: ReturnType<typeof startAgainst>, n: number): Promise<void> {
  const tracer = backend.tracer('failures');
  for (let i = 0; i < n; i++) await withSpan(`span-${i}`, async () => undefined, { tracer });
}

describe('export failures never reach the application', () => {
  let local: Local;
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let extraServer: Server | undefined;

  beforeEach(async () => {
    local = await startLocal();
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await stopAll();
    process.off('unhandledRejection', onUnhandled);
    await local.close();
    await new Promise<void>((resolve) => (extraServer ? extraServer.close(() => resolve()) : resolve()));
    extraServer = undefined;
  });

  it('counts a 401 as unauthorized, warns once with the HONEYCOMB_API_KEY hint, and forceFlush resolves', async () => {
    extraServer = createServer((_req, res) => {
      res.statusCode = 401;
      res.end('{"error":"unknown API key"}');
    });
    await new Promise<void>((resolve) => extraServer?.listen(0, '127.0.0.1', resolve));
    const port = (extraServer.address() as AddressInfo).port;
    const { lines, diagnostics } = capture();
    const backend = startAgainst(
      local,
      { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, HONEYCOMB_API_KEY: 'fake-wrong-key-000000' },
      {},
      { diagnostics },
    );
    await makeSpans(backend, 2);
    const first = await backend.forceFlush(3000);
    await makeSpans(backend, 3);
    const second = await backend.forceFlush(3000);
    expect(first.dropped).toEqual({ unauthorized: 2 });
    expect(second).toEqual({ sent: 0, dropped: { unauthorized: 5 }, pending: 0 });
    const warnings = lines.filter((l) => l.includes('401'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('check HONEYCOMB_API_KEY');
    expect(unhandled).toEqual([]);
  });

  it('gives up on 503 after the exporter retries within its timeout, counted throttled_gave_up', async () => {
    local.faults.otlp.failNext(50, 503);
    const { lines, diagnostics } = capture();
    // 2500 ms: the first retry comes after 1 s ± 20%, so at least two requests are made.
    const backend = startAgainst(local, { OTEL_EXPORTER_OTLP_TIMEOUT: '2500' }, {}, { diagnostics });
    await makeSpans(backend, 3);
    const report = await backend.forceFlush(5000);
    expect(report).toEqual({ sent: 0, dropped: { throttled_gave_up: 3 }, pending: 0 });
    expect(local.requests({ backend: 'otlp' }).length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).toContain('kept answering 429/502/503/504');
    expect(unhandled).toEqual([]);
  });

  it('gives up on 429 the same way, and delivers once the collector recovers', async () => {
    local.faults.otlp.throttleNext(50);
    const backend = startAgainst(local, { OTEL_EXPORTER_OTLP_TIMEOUT: '1200' });
    await makeSpans(backend, 2);
    expect((await backend.forceFlush(5000)).dropped).toEqual({ throttled_gave_up: 2 });
    await local.faults.reset();
    await makeSpans(backend, 1);
    expect(await backend.forceFlush(5000)).toEqual({
      sent: 1,
      dropped: { throttled_gave_up: 2 },
      pending: 0,
    });
    expect(local.spans()).toHaveLength(1);
  });

  it('counts a non-retryable 500 as send_failed', async () => {
    local.faults.otlp.failNext(1, 500);
    const { lines, diagnostics } = capture();
    const backend = startAgainst(local, {}, {}, { diagnostics });
    await makeSpans(backend, 2);
    expect((await backend.forceFlush(3000)).dropped).toEqual({ send_failed: 2 });
    expect(lines.join('\n')).toContain('answered 500');
  });

  it('warns once, with the count and the reason, when a collector keeps batches but refuses some spans', async () => {
    // ExportTraceServiceResponse { partial_success { rejected_spans: 2, error_message: "too old" } }.
    const message = Buffer.from('too old');
    const partial = Buffer.concat([Buffer.from([0x08, 0x02, 0x12, message.length]), message]);
    const answer = Buffer.concat([Buffer.from([0x0a, partial.length]), partial]);
    let received = 0;
    extraServer = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        res.setHeader('content-type', 'application/x-protobuf');
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => extraServer?.listen(0, '127.0.0.1', resolve));
    const port = (extraServer.address() as AddressInfo).port;
    const { lines, diagnostics } = capture();
    const backend = startAgainst(
      local,
      { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
      {},
      { diagnostics },
    );
    await makeSpans(backend, 3);
    await backend.forceFlush(3000);
    await makeSpans(backend, 2);
    await backend.forceFlush(3000);
    expect(received).toBe(2);
    expect(lines.filter((l) => l.includes('refused'))).toEqual([
      expect.stringContaining(`127.0.0.1:${port}/v1/traces refused 2 span(s) of a batch: too old`),
    ]);
    expect(unhandled).toEqual([]);
  });

  it('counts a refused port as send_failed with a hint to check the endpoint', async () => {
    await local.faults.otlp.refuseConnections();
    const { lines, diagnostics } = capture();
    const backend = startAgainst(local, { OTEL_EXPORTER_OTLP_TIMEOUT: '1200' }, {}, { diagnostics });
    await makeSpans(backend, 2);
    const report = await backend.forceFlush(5000);
    expect(report.dropped).toEqual({ send_failed: 2 });
    expect(lines.join('\n')).toMatch(/cannot reach .*ECONNREFUSED.*OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(unhandled).toEqual([]);
  });

  it('counts an answer slower than OTEL_EXPORTER_OTLP_TIMEOUT as export_timeout, with a hint', async () => {
    local.faults.otlp.delayResponses(10_000);
    const { lines, diagnostics } = capture();
    const backend = startAgainst(local, { OTEL_EXPORTER_OTLP_TIMEOUT: '300' }, {}, { diagnostics });
    await makeSpans(backend, 2);
    expect(await backend.forceFlush(5000)).toEqual({ sent: 0, dropped: { export_timeout: 2 }, pending: 0 });
    expect(lines.join('\n')).toContain('raise OTEL_EXPORTER_OTLP_TIMEOUT');
    expect(unhandled).toEqual([]);
  });

  it('resolves forceFlush and shutdown within their deadlines when the endpoint hangs', async () => {
    local.faults.otlp.delayResponses(60_000);
    const backend = startAgainst(local, {});
    await makeSpans(backend, 4);
    const flushed = await backend.forceFlush(200);
    expect(flushed.sent).toBe(0);
    expect(flushed.pending).toBe(4);
    await makeSpans(backend, 1);
    const report = await backend.shutdown(200);
    expect(report.sent).toBe(0);
    expect(report.pending).toBe(5);
    expect(report.dropped).toEqual({ shutdown_timeout: 5 });
    // Idempotent: the same report again, and spans ended afterwards are not exported.
    expect(await backend.shutdown(200)).toEqual(report);
    expect(unhandled).toEqual([]);
  });
});
