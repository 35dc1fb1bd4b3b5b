import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { InjectedFault } from '../faults';
import { decodeBody, type HttpReply } from '../httpServer';
import { maskSecret } from '../mask';
import type { Store } from '../store';
import { validateItem } from './validate';

export interface RollbarOptions {
  /** When set, only this access token is accepted (others get 403); by default any non-empty token. */
  accessToken?: string;
}

const json = (status: number, body: unknown, outcome: HttpReply['outcome']): HttpReply => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
  outcome,
});

/** Handles Rollbar's `POST /api/1/item/`. */
export function handleRollbar(
  store: Store,
  options: RollbarOptions,
  req: IncomingMessage,
  raw: Buffer,
): HttpReply {
  const reject = (status: number, reason: string, message: string): HttpReply => {
    store.reject({ backend: 'rollbar', at: Date.now(), reason, message });
    return json(status, { err: 1, message }, 'rejected');
  };
  if (req.url?.split('?')[0] !== '/api/1/item/')
    return reject(404, 'not_found', `no route ${req.method} ${req.url}`);
  if (req.method !== 'POST') return reject(405, 'method_not_allowed', `${req.method} not allowed`);
  let payload: unknown;
  try {
    payload = JSON.parse(decodeBody(req, raw).toString('utf8'));
  } catch {
    return reject(400, 'invalid_json', 'Invalid JSON in request body');
  }
  // The token travels in the header; the API still honours the older `access_token` body field.
  const headerToken = req.headers['x-rollbar-access-token'];
  const bodyToken =
    typeof payload === 'object' && payload !== null
      ? (payload as { access_token?: unknown }).access_token
      : undefined;
  const token = typeof headerToken === 'string' && headerToken ? headerToken : bodyToken;
  if (typeof token !== 'string' || token === '') {
    return reject(401, 'missing_access_token', 'Missing access token (X-Rollbar-Access-Token header)');
  }
  if (options.accessToken !== undefined && token !== options.accessToken) {
    return reject(403, 'invalid_access_token', `invalid access token ${maskSecret(token)}`);
  }
  const result = validateItem(payload);
  if (!result.ok) return reject(422, result.reason, result.message);
  const uuid = typeof result.data.uuid === 'string' ? result.data.uuid : randomUUID();
  const stored = { ...(payload as Record<string, unknown>) };
  if ('access_token' in stored) stored.access_token = maskSecret(String(stored.access_token));
  store.items.push({
    uuid,
    accessToken: maskSecret(token),
    data: result.data,
    payload: stored,
    receivedAt: Date.now(),
  });
  return json(200, { err: 0, result: { id: null, uuid } }, 'ok');
}

/** 429 is Rollbar's rate limit answer; a fault is the injected 5xx with `{"err":1}`. */
export function rollbarFaultReply(fault: InjectedFault): HttpReply {
  return fault.kind === 'throttle'
    ? json(429, { err: 1, message: 'Rate limit exceeded (injected)' }, 'throttled')
    : json(fault.status, { err: 1, message: `Internal server error (injected ${fault.status})` }, 'fault');
}
