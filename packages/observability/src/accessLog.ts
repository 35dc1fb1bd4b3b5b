import { STATUS_CODES } from 'node:http';
import { firstForwardedFor } from '@sightline/core';

export interface AccessLogRecord {
  method: string;
  /** Path with query, already redacted. */
  path: string;
  route?: string;
  status: number;
  durationMs: number;
  clientIp?: string;
  userAgent?: string;
  protocol: 'http' | 'https';
  contentLength?: number;
  /** When the response finished; Cruddur's line prints it (default: now). */
  at?: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Cruddur's line (Flask's `after_request` with `strftime('[%Y-%b-%d %H:%M]')`):
 * `[2026-Nov-27 19:45] 127.0.0.1 GET http /api/activities/search?term=x 200 OK`. Local time, as
 * Python's strftime used.
 */
export function formatCruddurLine(r: AccessLogRecord): string {
  const d = r.at ?? new Date();
  const stamp = `[${d.getFullYear()}-${MONTHS[d.getMonth()]}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}]`;
  // Werkzeug's `response.status` upper-cases the reason phrase: `422 UNPROCESSABLE ENTITY`.
  const status = `${r.status} ${(STATUS_CODES[r.status] ?? '').toUpperCase()}`.trimEnd();
  return `${stamp} ${r.clientIp ?? '-'} ${r.method} ${r.protocol} ${r.path} ${status}`;
}

/** Structured fields of the JSON access-log event. */
export function accessLogFields(r: AccessLogRecord): Record<string, unknown> {
  // Assigned one by one (same key order as before) rather than spread from temporary objects: this
  // runs for every request.
  const http: Record<string, unknown> = { method: r.method, path: r.path };
  if (r.route) http.route = r.route;
  http.status = r.status;
  http.duration_ms = Math.round(r.durationMs * 1000) / 1000;
  if (r.clientIp) http.client_ip = r.clientIp;
  if (r.userAgent) http.user_agent = r.userAgent;
  if (r.contentLength !== undefined) http.response_bytes = r.contentLength;
  return { http };
}

/** The client address, honouring the first `x-forwarded-for` entry as X-Ray and Flask behind a proxy do. */
export function clientIp(forwardedFor: string | string[] | undefined, socketAddress: string | undefined) {
  const ip = firstForwardedFor(forwardedFor) ?? socketAddress;
  return ip?.startsWith('::ffff:') ? ip.slice(7) : ip;
}
