import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { methodAttributes } from './httpAttributes';

/**
 * Client spans for `fetch` (undici, inside Node), from undici's diagnostics channels, with the
 * attributes and the behaviour of OpenTelemetry's undici instrumentation (stable semantic
 * conventions): the span starts when the request is created, in the caller's context; its ids go
 * into the request's trace headers; the response status is recorded when its headers arrive; the
 * span ends with the body (trailers), or with the error. An aborted request is not an error.
 */

/** What undici publishes of a request (v5 keeps headers as a string, v6 as a flat array). */
interface UndiciRequest {
  origin: string | URL;
  method: string;
  path: string;
  headers: string | unknown[];
  addHeader?(name: string, value: string): unknown;
}

const spans = new WeakMap<UndiciRequest, Span>();

/** Subscribes to undici's channels; returns the function that unsubscribes. */
export function enableFetchSpans(tracer: Tracer): () => void {
  const onCreate = (message: unknown) => {
    try {
      startFetchSpan(tracer, (message as { request: UndiciRequest }).request);
    } catch {
      // Tracing must never cost the call: it goes out untraced.
    }
  };
  const handlers: [string, (message: unknown) => void][] = [
    ['undici:request:create', onCreate],
    ['undici:request:headers', onResponseHeaders],
    ['undici:request:trailers', onDone],
    ['undici:request:error', onError],
  ];
  for (const [name, handler] of handlers) subscribe(name, handler);
  return () => {
    for (const [name, handler] of handlers) unsubscribe(name, handler);
  };
}

function startFetchSpan(tracer: Tracer, request: UndiciRequest): void {
  const parent = context.active();
  if (request.method === 'CONNECT' || isTracingSuppressed(parent)) return;
  const url = new URL(request.path, request.origin);
  const scheme = url.protocol.slice(0, -1);
  const attributes: Record<string, string | number> = {};
  const { spanName } = methodAttributes(request.method, attributes);
  attributes['url.full'] = url.href;
  attributes['url.path'] = url.pathname;
  if (url.search !== '') attributes['url.query'] = url.search.slice(1);
  attributes['url.scheme'] = scheme;
  attributes['server.address'] = url.hostname;
  attributes['server.port'] = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
  const span = tracer.startSpan(spanName, { kind: SpanKind.CLIENT, attributes }, parent);
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  for (const [name, value] of Object.entries(headers)) addHeader(request, name, value);
  spans.set(request, span);
}

function addHeader(request: UndiciRequest, name: string, value: string): void {
  if (typeof request.addHeader === 'function') request.addHeader(name, value);
  else if (typeof request.headers === 'string') request.headers += `${name}: ${value}\r\n`;
  else if (Array.isArray(request.headers)) request.headers.push(name, value);
}

function onResponseHeaders(message: unknown): void {
  const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
  const span = spans.get(request);
  if (span === undefined) return;
  span.setAttribute('http.response.status_code', response.statusCode);
  if (response.statusCode >= 400) {
    span.setAttribute('error.type', String(response.statusCode));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

function onDone(message: unknown): void {
  const { request } = message as { request: UndiciRequest };
  const span = spans.get(request);
  if (span === undefined) return;
  spans.delete(request);
  span.end();
}

function onError(message: unknown): void {
  const { request, error } = message as { request: UndiciRequest; error: Error & { code?: string } };
  const span = spans.get(request);
  if (span === undefined) return;
  spans.delete(request);
  // An abort is the caller's decision, not a failure (the HTTP conventions).
  if (error?.name !== 'AbortError') {
    span.setAttribute('error.type', typeof error?.code === 'string' ? error.code : error?.name || 'Error');
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message });
  }
  span.end();
}
