import { isSensitiveHeader, maskSecret } from '@sightline/core';

/**
 * Copies headers with lower-case names, joining repeated values, and masks the secret ones with the
 * project's one redaction policy (`@sightline/core`): `****abcd` for secrets of 16 characters or
 * more, `****` for shorter ones, so tests compare with `maskSecret(theKeyTheySent)`.
 */
export function maskHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(headers)) {
    if (rawValue === undefined) continue;
    const name = rawName.toLowerCase();
    const value = Array.isArray(rawValue) ? rawValue.join(', ') : rawValue;
    out[name] = isSensitiveHeader(name) ? maskSecret(value) : value;
  }
  return out;
}

export { maskSecret };
