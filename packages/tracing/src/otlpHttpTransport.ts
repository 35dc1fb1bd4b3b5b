import { gzip } from 'node:zlib';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { unrefTimer } from '@sightline/core';
import { type HttpAnswer, HttpConnection } from './httpConnection';
import type { BatchTransport, EncodedBatch } from './otlpExporter';
import type { TlsMaterial } from './tlsFiles';

export interface OtlpHttpTransportOptions {
  url: string;
  headers: Record<string, string>;
  compression: 'gzip' | 'none';
  /** The whole export's deadline, retries included (`OTEL_EXPORTER_OTLP_TIMEOUT`). */
  timeoutMillis: number;
  /** Told when the collector accepted the batch but rejected some spans (OTLP partial success). */
  onPartialSuccess?: (rejectedSpans: number, message: string) => void;
  /** For an `https` collector: trusted CAs in place of Node's, a client certificate and key. */
  tls?: TlsMaterial;
}

/** OpenTelemetry's exporters' retry policy: up to five attempts, 1 s backoff growing 1.5× to 5 s, ±20 %. */
const MAX_ATTEMPTS = 5;
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const BACKOFF_MULTIPLIER = 1.5;
/** Statuses the OTLP/HTTP specification says to retry. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Network errors worth another attempt (a collector restarting, a connection the peer closed). */
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
/** OpenTelemetry's exporters' product token, so that collectors (and `isOtlpExport`) know an OTLP export. */
const USER_AGENT = 'OTel-OTLP-Exporter-JavaScript (@sightline/tracing)';

/** An HTTP answer the export failed with: `code` is the status, as `classifyExportError` reads it. */
class OtlpHttpError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/**
 * OTLP/HTTP protobuf, posted on one kept-alive connection of its own (`HttpConnection`, not node:http's
 * client, whose objects the service's own server shares): the batch's bytes (gzipped when asked),
 * retried on 429/502/503/504 and on a dropped connection with OpenTelemetry's backoff (or the
 * collector's `Retry-After`), within one deadline for the whole export. Takes the place of
 * OpenTelemetry's transport, with node's own modules only (`docs/performance.md`, sessions 8 and 9).
 * Never throws: every outcome reaches `done` once.
 */
export function createOtlpHttpTransport(options: OtlpHttpTransportOptions): BatchTransport {
  const connection = new HttpConnection(
    new URL(options.url),
    {
      ...options.headers,
      'Content-Type': 'application/x-protobuf',
      'User-Agent': USER_AGENT,
      ...(options.compression === 'gzip' ? { 'Content-Encoding': 'gzip' } : {}),
    },
    options.tls,
  );
  let closed = false;

  const post = (body: Uint8Array, deadline: number, answer: (outcome: Attempt) => void) => {
    connection.post(body, deadline, (error, response) => {
      if (response !== undefined) answer(outcomeOf(response));
      else if (error?.code !== undefined && RETRYABLE_NETWORK.has(error.code))
        answer({ kind: 'retry', error, after: undefined });
      else answer({ kind: 'failed', error: error ?? new Error('no answer') });
    });
  };

  const send = (body: Uint8Array, done: (result: ExportResult) => void) => {
    const deadline = Date.now() + options.timeoutMillis;
    let backoff = INITIAL_BACKOFF_MS;
    const answer = (outcome: Attempt, n: number) => {
      if (outcome.kind === 'ok') {
        if (outcome.rejected > 0 || outcome.message !== '') {
          options.onPartialSuccess?.(outcome.rejected, outcome.message);
        }
        done({ code: ExportResultCode.SUCCESS });
        return;
      }
      if (outcome.kind === 'failed') {
        done({ code: ExportResultCode.FAILED, error: outcome.error });
        return;
      }
      const wait = outcome.after ?? backoff * (0.8 + Math.random() * 0.4);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * BACKOFF_MULTIPLIER);
      if (n >= MAX_ATTEMPTS || closed || Date.now() + wait >= deadline) {
        done({ code: ExportResultCode.FAILED, error: exhausted(outcome.error) });
        return;
      }
      unrefTimer(() => attempt(n + 1), wait);
    };
    // Runs from a timer on a retry: whatever throws here must become the export's failure, not the host's.
    const attempt = (n: number) => {
      const left = deadline - Date.now();
      if (left <= 0) {
        done({ code: ExportResultCode.FAILED, error: new Error('Request timed out') });
        return;
      }
      try {
        post(body, deadline, (outcome) => answer(outcome, n));
      } catch (error) {
        done({ code: ExportResultCode.FAILED, error: error as Error });
      }
    };
    attempt(1);
  };

  return {
    export(batch: EncodedBatch, done: (result: ExportResult) => void): void {
      let answered = false;
      const once = (result: ExportResult) => {
        if (answered) return;
        answered = true;
        done(result);
      };
      try {
        if (options.compression !== 'gzip') {
          send(batch.bytes, once);
          return;
        }
        gzip(batch.bytes, (error, zipped) => {
          if (error) once({ code: ExportResultCode.FAILED, error });
          else send(zipped, once);
        });
      } catch (error) {
        once({ code: ExportResultCode.FAILED, error: error as Error });
      }
    },
    async shutdown(): Promise<void> {
      closed = true;
      connection.close();
    },
  };
}

type Attempt =
  | { kind: 'ok'; rejected: number; message: string }
  | { kind: 'retry'; error: Error; after: number | undefined }
  | { kind: 'failed'; error: Error };

function outcomeOf(response: HttpAnswer): Attempt {
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'ok', ...partialSuccess(response.body) };
  const error = new OtlpHttpError(`OTLP export answered ${status} ${response.reason}`.trim(), status);
  if (RETRYABLE_STATUS.has(status))
    return { kind: 'retry', error, after: retryAfterMs(response.headers.get('retry-after')) };
  return { kind: 'failed', error };
}

/** What OpenTelemetry's exporters report once a retryable answer outlived the retries or the deadline. */
function exhausted(last: Error): Error {
  // A dropped connection keeps its code (classified as unreachable); an HTTP answer says it was retryable.
  if (typeof (last as NodeJS.ErrnoException).code === 'string') return last;
  return new Error(`Export failed with retryable status (${last.message})`);
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * `ExportTraceServiceResponse.partial_success` (field 1: `rejected_spans` int64 = 1, `error_message`
 * string = 2), read without a protobuf library; an empty or unreadable body means full success.
 */
export function partialSuccess(body: Uint8Array): { rejected: number; message: string } {
  const none = { rejected: 0, message: '' };
  try {
    const outer = fields(body);
    const inner = outer.get(1);
    if (!(inner instanceof Uint8Array)) return none;
    const values = fields(inner);
    const rejected = values.get(1);
    const message = values.get(2);
    return {
      rejected: typeof rejected === 'number' ? rejected : 0,
      message: message instanceof Uint8Array ? Buffer.from(message).toString('utf8') : '',
    };
  } catch {
    return none;
  }
}

/** The last value of each field of a protobuf message: varints as numbers, length-delimited as bytes. */
function fields(bytes: Uint8Array): Map<number, number | Uint8Array> {
  const out = new Map<number, number | Uint8Array>();
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) out.set(field, varint());
    else if (wire === 2) {
      const length = varint();
      if (pos + length > bytes.length) throw new Error('truncated field');
      out.set(field, bytes.subarray(pos, pos + length));
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}
