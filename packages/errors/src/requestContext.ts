import type { IncomingMessage } from 'node:http';
import {
  firstForwardedFor,
  type RedactionPolicy,
  redactHeaders,
  redactUrl,
  redactValue,
} from '@sightline/core';
import type { RequestInfo } from './types';

/** The request-like object handed to Rollbar's request transform (its `_buildRequestData`). */
export interface RollbarRequest {
  method?: string;
  url: string;
  headers: Record<string, string | string[]>;
  protocol?: string;
  ip?: string;
  route?: { path: string };
  body?: unknown;
}

type Loose = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Reads a `RequestInfo`, a Node `IncomingMessage`, or an Express / Fastify request into the shape
 * Rollbar expects, already redacted by the shared policy (Rollbar's scrubber runs on top of it).
 * Never throws: an unreadable request gives `undefined`.
 */
export function toRollbarRequest(
  input: RequestInfo | IncomingMessage | undefined,
  policy: RedactionPolicy,
  options: { maxBodyBytes: number; captureIp: boolean },
): RollbarRequest | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  try {
    const req = input as unknown as Loose;
    const headers = readHeaders(req.headers);
    const out: RollbarRequest = {
      method: str(req.method)?.toUpperCase(),
      url: redactUrl(readUrl(req), policy),
      headers: redactHeaders(headers, policy),
    };
    const protocol = str(req.protocol) ?? (isEncrypted(req.socket) ? 'https' : undefined);
    if (protocol) out.protocol = protocol;
    const route = readRoute(req);
    if (route) out.route = { path: route };
    if (options.captureIp) {
      const ip = readIp(req, headers);
      if (ip) out.ip = ip;
    }
    if (options.maxBodyBytes > 0 && hasBody(req.body) && out.method !== 'GET' && out.method !== 'HEAD') {
      out.body = limitBody(req.body, headers['content-type'], policy, options.maxBodyBytes);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Rollbar files an object body under `request[METHOD]`, which for a GET would hide the query. */
function hasBody(body: unknown): boolean {
  if (body === undefined || body === null || body === '') return false;
  if (typeof body === 'object' && !Buffer.isBuffer(body) && Object.keys(body).length === 0) return false;
  return true;
}

function readHeaders(raw: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [k, v] of Object.entries(raw as Loose)) {
    if (typeof v === 'string') out[k.toLowerCase()] = v;
    else if (typeof v === 'number') out[k.toLowerCase()] = String(v);
    else if (Array.isArray(v)) out[k.toLowerCase()] = v.map(String);
  }
  return out;
}

function readUrl(req: Loose): string {
  // Express rewrites `url` inside routers; `originalUrl` is what the client asked for.
  const url = str(req.originalUrl) ?? str(req.url) ?? '/';
  const query = req.query;
  if (url.includes('?') || typeof query !== 'object' || query === null) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query as Loose)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item !== undefined && item !== null)
        params.append(k, typeof item === 'string' ? item : String(item));
    }
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

function readRoute(req: Loose): string | undefined {
  if (typeof req.route === 'string') return str(req.route);
  // Express: req.route.path under req.baseUrl; Fastify: req.routeOptions.url.
  const expressPath = str((req.route as Loose | undefined)?.path);
  if (expressPath) return `${str(req.baseUrl) ?? ''}${expressPath}`;
  return str((req.routeOptions as Loose | undefined)?.url);
}

function readIp(req: Loose, headers: Record<string, string | string[]>): string | undefined {
  const explicit = str(req.remoteAddress) ?? str(req.ip);
  if (explicit) return explicit;
  const first = firstForwardedFor(headers['x-forwarded-for']);
  if (first) return first;
  return str((req.socket as Loose | undefined)?.remoteAddress);
}

function isEncrypted(socket: unknown): boolean {
  return typeof socket === 'object' && socket !== null && (socket as Loose).encrypted === true;
}

/**
 * A body within `maxBytes` goes as is (redacted); a longer text body is cut; a longer JSON body is
 * replaced by a note, because Rollbar re-parses JSON bodies and a cut one would not parse.
 */
function limitBody(
  body: unknown,
  contentType: string | string[] | undefined,
  policy: RedactionPolicy,
  maxBytes: number,
): unknown {
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return `[binary body, ${body.byteLength} bytes]`;
  const isJson = String(contentType ?? '').includes('json');
  const redacted = redactValue(typeof body === 'string' && isJson ? parseJson(body) : body, policy);
  const text = typeof redacted === 'string' ? redacted : JSON.stringify(redacted);
  const bytes = Buffer.byteLength(text ?? '');
  if (bytes <= maxBytes) return redacted;
  const note = `body of ${bytes} bytes omitted (over maxBodyBytes ${maxBytes})`;
  if (isJson || typeof redacted !== 'string') return { _omitted: note };
  return `${Buffer.from(redacted).subarray(0, maxBytes).toString('utf8')}…[${note}]`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
