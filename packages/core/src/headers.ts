/**
 * The client's address as the first entry of an `X-Forwarded-For` header (the proxy chain's origin),
 * trimmed; `undefined` when the header is absent or its first entry is empty. What X-Ray, Flask and
 * Rollbar take as the client IP behind a load balancer.
 */
export function firstForwardedFor(header: string | string[] | undefined): string | undefined {
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
  return first || undefined;
}
