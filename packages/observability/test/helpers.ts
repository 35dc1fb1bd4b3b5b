import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Local, startLocal } from '@sightline/local';

export const TOKEN = 'fake-rollbar-token-for-tests-0001';

/** @sightline/local plus the env that points all four backends at it. */
export async function startBackends(): Promise<{ local: Local; env: Record<string, string> }> {
  const local = await startLocal();
  const env: Record<string, string> = {
    ...(local.env as unknown as Record<string, string>),
    OTEL_SERVICE_NAME: 'facade-test',
    OTEL_BSP_SCHEDULE_DELAY: '50',
    SIGHTLINE_CWLOGS_GROUP: 'facade-test',
    SIGHTLINE_CWLOGS_SEND_INTERVAL_MS: '200',
    ROLLBAR_ACCESS_TOKEN: TOKEN,
    AWS_XRAY_URL: '*',
    SIGHTLINE_SUMMARY: 'false',
    SIGHTLINE_HANDLE_SIGNALS: 'false',
  };
  return { local, env };
}

export function baseUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export function close(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

/**
 * X-Ray rules that sample every request, so each one has a segment to assert on (the default rule is
 * 1/s + 5 %). express.e2e.test.ts spells them out instead: docs/local.md quotes its setup verbatim.
 */
export const SAMPLE_EVERYTHING = { version: 2, rules: [], default: { fixed_target: 0, rate: 1 } } as const;

export const xrayId = (traceId: string) => `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;

/**
 * POSTs `body` as JSON in two chunks, `gapMs` apart: the request's 'end' then comes from the socket
 * well after the handler returned, as with any body larger than a packet. Resolves with the status.
 */
export function postInTwoChunks(url: string, body: unknown, gapMs = 30): Promise<number> {
  const json = JSON.stringify(body);
  const half = Math.floor(json.length / 2);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.write(json.slice(0, half));
    setTimeout(() => req.end(json.slice(half)), gapMs);
  });
}
