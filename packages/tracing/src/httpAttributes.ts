import type { Attributes } from '@opentelemetry/api';

/** The methods the HTTP semantic conventions name; any other is recorded as `_OTHER`. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

/** `http.request.method` (and `_original` for an unknown one) and the span name it gives. */
export function methodAttributes(
  method: string,
  attributes: Attributes,
): { known: boolean; spanName: string } {
  const known = KNOWN_METHODS.has(method);
  attributes['http.request.method'] = known ? method : '_OTHER';
  if (!known) attributes['http.request.method_original'] = method;
  return { known, spanName: known ? method : 'HTTP' };
}

/** `host:port`, `[v6]:port` or a bare name (then no port); a port that is not a number is none. */
export function splitHost(host: string): { address: string; port: number | undefined } {
  const colon = host.lastIndexOf(':');
  if (colon === -1 || host.endsWith(']')) return { address: host, port: undefined };
  const port = Number(host.slice(colon + 1));
  return { address: host.slice(0, colon), port: Number.isInteger(port) ? port : undefined };
}
