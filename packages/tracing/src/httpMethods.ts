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
  attributes: Record<string, string | number>,
): { known: boolean; spanName: string } {
  const known = KNOWN_METHODS.has(method);
  attributes['http.request.method'] = known ? method : '_OTHER';
  if (!known) attributes['http.request.method_original'] = method;
  return { known, spanName: known ? method : 'HTTP' };
}
