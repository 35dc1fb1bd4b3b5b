import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';

export const FRONTEND_URL = 'http://localhost:3000';
export const BACKEND_URL = 'http://localhost:4567';

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/**
 * The app with every backend off (SIGHTLINE_DISABLED=true while the set-up module loads), on a real
 * socket on 127.0.0.1, port chosen by the OS.
 */
export async function startApp(env: NodeJS.ProcessEnv = { FRONTEND_URL, BACKEND_URL }): Promise<RunningApp> {
  vi.stubEnv('SIGHTLINE_DISABLED', 'true');
  try {
    const { obs } = await import('../src/observability.js');
    const { createApp } = await import('../src/app.js');
    const server: Server = await new Promise((resolve) => {
      const s = createApp(obs, env).listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  } finally {
    vi.unstubAllEnvs();
  }
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Python's `datetime.isoformat()` of an aware datetime: offset always present. */
export const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

export function ageHours(iso: string): number {
  return (Date.now() - Date.parse(iso)) / 3_600_000;
}

/** A JSON body, asserted on field by field. */
// biome-ignore lint/suspicious/noExplicitAny: the tests assert the shape; a type here would only repeat it.
export type Json = any;

export async function json(res: Response): Promise<Json> {
  return res.json();
}
