import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Local, startLocal } from '../src/index';
import { ExportTraceServiceRequest, ExportTraceServiceResponse, RpcStatus } from '../src/otlp/schema';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

/** The OTLP/HTTP protocol rules a collector enforces, with hand-made requests (the exporter never breaks them). */
describe('OTLP/HTTP protocol', () => {
  let local: Local;
  beforeAll(async () => {
    local = await startLocal();
  });
  beforeEach(() => local.clear());
  afterAll(async () => {
    await local.close();
  });

  const post = async (body: Uint8Array | string, headers: Record<string, string>, path = '/v1/traces') => {
    const res = await fetch(`${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}${path}`, {
      method: 'POST',
      headers,
      body,
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: new Uint8Array(await res.arrayBuffer()),
    };
  };
  const jsonRequest = (spans: Record<string, unknown>[]) =>
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-svc' } }] },
          scopeSpans: [{ scope: { name: 'json-scope' }, spans }],
        },
      ],
    });
  const jsonSpan = {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'json-span',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
    attributes: [
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'n', value: { intValue: 7 } },
      { key: 'd', value: { doubleValue: 1.5 } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: false } }] } } },
    ],
    status: { code: 1 },
  };

  it('accepts OTLP/JSON with hex ids and answers {}', async () => {
    const res = await post(jsonRequest([jsonSpan]), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.body)).toBe('{}');
    expect(local.spans()[0]).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      kindName: 'SERVER',
      durationMs: 250,
      attributes: { big: '9007199254740993', n: 7, d: 1.5, kv: { a: false } },
      resource: { 'service.name': 'json-svc' },
      scope: { name: 'json-scope' },
      status: { code: 1, message: '' },
    });
  });

  it('accepts proto field names (snake_case) and enum names in JSON, as the collector does', async () => {
    const body = JSON.stringify({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: TRACE_ID.toUpperCase(),
                  span_id: SPAN_ID,
                  name: 'snake',
                  kind: 'SPAN_KIND_CLIENT',
                  start_time_unix_nano: 1,
                  end_time_unix_nano: 2,
                },
              ],
            },
          ],
        },
      ],
    });
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(200);
    expect(local.spans()[0]).toMatchObject({ name: 'snake', traceId: TRACE_ID, kindName: 'CLIENT' });
  });

  it('accepts gzip-compressed OTLP/JSON', async () => {
    const res = await post(gzipSync(jsonRequest([jsonSpan])), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(200);
    expect(local.spans()).toHaveLength(1);
  });

  it('answers 415 to other content types', async () => {
    const res = await post('hello', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(local.rejections()[0]?.reason).toBe('unsupported_media_type');
  });

  it('answers 400 with a google.rpc.Status to an undecodable protobuf body', async () => {
    const res = await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff]), {
      'content-type': 'application/x-protobuf',
    });
    expect(res.status).toBe(400);
    expect(RpcStatus.decode(res.body).toJSON()).toMatchObject({ code: 3 });
    expect(local.rejections()[0]?.reason).toBe('undecodable');
  });

  it('answers 400 to a corrupt gzip body and to malformed JSON', async () => {
    expect(
      (await post('not gzip', { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }))
        .status,
    ).toBe(400);
    expect((await post('{"resourceSpans":', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await post('[]', { 'content-type': 'application/json' })).status).toBe(400);
  });

  it('answers 404 off /v1/traces and 405 to other methods', async () => {
    expect((await post('{}', { 'content-type': 'application/json' }, '/v1/metrics')).status).toBe(404);
    const res = await fetch(`${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`);
    expect(res.status).toBe(405);
  });

  it('rejects spans with invalid ids as a partial success and keeps the valid ones', async () => {
    const request = ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: Buffer.from(TRACE_ID, 'hex'), spanId: Buffer.from(SPAN_ID, 'hex'), name: 'ok' },
                { traceId: Buffer.alloc(16), spanId: Buffer.from(SPAN_ID, 'hex'), name: 'zero-trace' },
                { traceId: Buffer.from(TRACE_ID, 'hex'), spanId: Buffer.alloc(4, 1), name: 'short-span' },
              ],
            },
          ],
        },
      ],
    });
    const res = await post(ExportTraceServiceRequest.encode(request).finish(), {
      'content-type': 'application/x-protobuf',
    });
    expect(res.status).toBe(200);
    const response = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(res.body), {
      longs: Number,
    });
    expect(response.partialSuccess).toMatchObject({ rejectedSpans: 2 });
    expect(local.spans().map((s) => s.name)).toEqual(['ok']);
    expect(local.rejections().map((r) => r.reason)).toEqual(['invalid_span', 'invalid_span']);
  });
});
