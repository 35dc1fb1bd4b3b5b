import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_URL, FRONTEND_URL, type RunningApp, startApp } from './helpers.js';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('CORS', () => {
  it('allows FRONTEND_URL and BACKEND_URL on /api/*, exposing location and link', async () => {
    app = await startApp();
    for (const origin of [FRONTEND_URL, BACKEND_URL]) {
      const res = await fetch(`${app.url}/api/activities/home`, { headers: { origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-expose-headers')).toBe('location,link');
      expect(res.headers.get('vary')).toMatch(/origin/i);
    }
  });

  it('answers a preflight with the methods and headers the original allowed', async () => {
    app = await startApp();
    const res = await fetch(`${app.url}/api/activities`, {
      method: 'OPTIONS',
      headers: {
        origin: FRONTEND_URL,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND_URL);
    expect(res.headers.get('access-control-allow-methods')).toBe('OPTIONS,GET,HEAD,POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,if-modified-since');
  });

  it('gives an unknown origin no allow-origin header (the request itself still runs)', async () => {
    app = await startApp();
    const res = await fetch(`${app.url}/api/activities/home`, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds no CORS headers outside /api/*', async () => {
    app = await startApp();
    const res = await fetch(`${app.url}/rollbar/test`, { headers: { origin: FRONTEND_URL } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-expose-headers')).toBeNull();
  });

  it('ignores an unset BACKEND_URL instead of crashing (the original did)', async () => {
    app = await startApp({ FRONTEND_URL });
    const ok = await fetch(`${app.url}/api/health-check`, { headers: { origin: FRONTEND_URL } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(FRONTEND_URL);
    const other = await fetch(`${app.url}/api/health-check`, { headers: { origin: BACKEND_URL } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no origin when neither is set', async () => {
    app = await startApp({});
    const res = await fetch(`${app.url}/api/health-check`, { headers: { origin: FRONTEND_URL } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
