/**
 * Header names whose values are secrets. Mirrors the redaction policy of the design doc
 * (authorization, cookies, API keys, vendor tokens).
 */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-honeycomb-team',
  'x-rollbar-access-token',
  'x-amz-security-token',
  'x-csrf-token',
]);

/**
 * Masks a secret so that only its last 4 characters remain (`****abcd`); values of 8 characters
 * or fewer are masked entirely, since 4 of them would be half the secret.
 */
export function maskSecret(value: string): string {
  return value.length > 8 ? `****${value.slice(-4)}` : '****';
}

/** Copies headers with lower-case names, joining repeated values, and masks the secret ones. */
export function maskHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(headers)) {
    if (rawValue === undefined) continue;
    const name = rawName.toLowerCase();
    const value = Array.isArray(rawValue) ? rawValue.join(', ') : rawValue;
    out[name] = SECRET_HEADERS.has(name) ? maskSecret(value) : value;
  }
  return out;
}
