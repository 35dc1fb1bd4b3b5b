import type { IncomingMessage } from 'node:http';
import type { InjectedFault } from '../faults';
import { decodeBody, type HttpReply } from '../httpServer';
import type { Store } from '../store';
import { convertRequest, type RawExportRequest } from './convert';
import { ExportTraceServiceRequest, ExportTraceServiceResponse, RpcStatus } from './schema';

type Wire = 'protobuf' | 'json';

function wireOf(req: IncomingMessage): Wire | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** OTLP/HTTP error bodies are a `google.rpc.Status`, encoded like the request (spec: "Failures"). */
function statusReply(
  wire: Wire,
  status: number,
  code: number,
  message: string,
  outcome: HttpReply['outcome'],
) {
  const reply: HttpReply =
    wire === 'json'
      ? { status, contentType: 'application/json', body: JSON.stringify({ code, message }), outcome }
      : {
          status,
          contentType: 'application/x-protobuf',
          body: RpcStatus.encode(RpcStatus.create({ code, message })).finish(),
          outcome,
        };
  return reply;
}

/** Handles `POST /v1/traces` like an OpenTelemetry collector's OTLP/HTTP receiver. */
export function handleOtlp(store: Store, req: IncomingMessage, raw: Buffer): HttpReply {
  const reject = (status: number, reason: string, message: string, wire: Wire = 'json'): HttpReply => {
    store.reject({ backend: 'otlp', at: Date.now(), reason, message });
    // gRPC status codes in the body: 3 INVALID_ARGUMENT, 5 NOT_FOUND, 12 UNIMPLEMENTED.
    const grpc = status === 404 ? 5 : status === 400 ? 3 : 12;
    return statusReply(wire, status, grpc, message, 'rejected');
  };
  if (req.url?.split('?')[0] !== '/v1/traces') {
    return reject(404, 'not_found', `no OTLP route ${req.method} ${req.url} (traces are POST /v1/traces)`);
  }
  if (req.method !== 'POST') return reject(405, 'method_not_allowed', `${req.method} not allowed`);
  const wire = wireOf(req);
  if (!wire) {
    return reject(
      415,
      'unsupported_media_type',
      `unsupported content-type "${req.headers['content-type'] ?? ''}" (application/x-protobuf or application/json)`,
    );
  }
  let request: RawExportRequest;
  try {
    const body = decodeBody(req, raw);
    request =
      wire === 'protobuf'
        ? (ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), {
            longs: String,
            enums: Number,
          }) as RawExportRequest)
        : parseJson(body);
  } catch (error) {
    return reject(400, 'undecodable', `cannot decode ${wire} body: ${(error as Error).message}`, wire);
  }
  let result: ReturnType<typeof convertRequest>;
  try {
    result = convertRequest(request, Date.now());
  } catch (error) {
    return reject(
      400,
      'undecodable',
      `malformed ExportTraceServiceRequest: ${(error as Error).message}`,
      wire,
    );
  }
  for (const span of result.spans) store.spans.push(span);
  for (const reason of result.rejected.reasons) {
    store.reject({ backend: 'otlp', at: Date.now(), reason: 'invalid_span', message: reason });
  }
  // Partial success (spec): 200, with the count of rejected spans and why.
  const partial =
    result.rejected.count > 0
      ? { rejectedSpans: result.rejected.count, errorMessage: result.rejected.reasons.join('; ') }
      : undefined;
  const outcome = partial ? 'rejected' : 'ok';
  if (wire === 'json') {
    return {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify(partial ? { partialSuccess: partial } : {}),
      outcome,
    };
  }
  const response = ExportTraceServiceResponse.create(partial ? { partialSuccess: partial } : {});
  return {
    status: 200,
    contentType: 'application/x-protobuf',
    body: ExportTraceServiceResponse.encode(response).finish(),
    outcome,
  };
}

function parseJson(body: Buffer): RawExportRequest {
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('the body is not a JSON object');
  }
  return camelizeKeys(parsed) as RawExportRequest;
}

/**
 * OTLP/JSON uses lowerCamelCase names, but protobuf JSON parsers (the collector's included) also
 * accept the proto names (`resource_spans`). Safe to rewrite every key: OTLP/JSON has no
 * user-chosen object keys (attributes are `[{ key, value }]` lists).
 */
function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = camelizeKeys(inner);
  }
  return out;
}

/** Throttle is 429 and a fault its 5xx status, both retryable for OTLP exporters. */
export function otlpFaultReply(fault: InjectedFault, req: IncomingMessage): HttpReply {
  const wire = wireOf(req) ?? 'json';
  return fault.kind === 'throttle'
    ? statusReply(wire, 429, 8, 'injected throttle (RESOURCE_EXHAUSTED)', 'throttled')
    : statusReply(wire, fault.status, 14, `injected fault ${fault.status} (UNAVAILABLE)`, 'fault');
}
