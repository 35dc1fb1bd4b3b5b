import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Local, startLocal } from '../src/index';
import { FAKE_ROLLBAR_TOKEN, rollbarClient, waitRollbar } from './clients';

const message = { message: { body: 'Hello World!' } };
const trace = {
  exception: { class: 'TypeError', message: 'x is undefined' },
  frames: [{ filename: 'app.js', lineno: 1 }],
};
const item = (data: Record<string, unknown>) => ({
  data: { environment: 'production', level: 'error', body: message, ...data },
});

/** The item rules. The rollbar package only sends well-formed items, so broken ones are posted by hand. */
describe('Rollbar item validation', () => {
  let local: Local;
  beforeAll(async () => {
    local = await startLocal({ rollbarAccessToken: FAKE_ROLLBAR_TOKEN });
  });
  beforeEach(() => local.clear());
  afterAll(async () => {
    await local.close();
  });

  const post = async (body: unknown, token: string | null = FAKE_ROLLBAR_TOKEN, path = '/api/1/item/') => {
    const res = await fetch(new URL(path, local.env.ROLLBAR_ENDPOINT), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-rollbar-access-token': token } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as { err: number; message?: string; result?: unknown },
    };
  };

  it('accepts a valid item and answers like Rollbar', async () => {
    const res = await post(item({}));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      err: 0,
      result: { id: null, uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    expect(local.items()).toHaveLength(1);
  });

  it('requires an access token (401) and, when configured, the right one (403)', async () => {
    expect(await post(item({}), null)).toMatchObject({ status: 401, body: { err: 1 } });
    expect(await post(item({}), 'another-fake-token')).toMatchObject({ status: 403, body: { err: 1 } });
    expect(local.rejections().map((r) => r.reason)).toEqual(['missing_access_token', 'invalid_access_token']);
    expect(JSON.stringify(local.rejections())).not.toContain('another-fake-token');
  });

  it('the rollbar package sees a wrong token refused', async () => {
    const rollbar = rollbarClient(local, { accessToken: 'wrong-fake-token' });
    const outcome = await new Promise<unknown>((resolve) => rollbar.info('hi', (error) => resolve(error)));
    await waitRollbar(rollbar);
    expect(outcome).toBeInstanceOf(Error);
    expect(local.items()).toEqual([]);
  });

  it.each([
    ['invalid_json', '{"data":'],
    ['missing_data', { payload: {} }],
    ['invalid_environment', item({ environment: undefined })],
    ['invalid_environment', item({ environment: '' })],
    ['invalid_environment', item({ environment: 'e'.repeat(256) })],
    ['invalid_level', item({ level: 'fatal' })],
    ['invalid_timestamp', item({ timestamp: '2026-01-01' })],
    ['missing_body', item({ body: undefined })],
    ['invalid_body', item({ body: {} })],
    ['invalid_body', item({ body: { ...message, trace } })],
    ['invalid_message', item({ body: { message: { text: 'no body' } } })],
    ['invalid_trace', item({ body: { trace: { frames: [] } } })],
    ['invalid_trace', item({ body: { trace: { exception: { class: 'E' } } } })],
    ['invalid_trace', item({ body: { trace: { exception: { class: 'E' }, frames: [{ lineno: 1 }] } } })],
    ['invalid_trace', item({ body: { trace_chain: [] } })],
    ['invalid_crash_report', item({ body: { crash_report: {} } })],
  ])('rejects %s: %j', async (reason, body) => {
    const res = await post(body);
    expect(res.status).toBe(reason === 'invalid_json' ? 400 : 422);
    expect(res.body.err).toBe(1);
    expect(local.rejections()[0]?.reason).toBe(reason);
    expect(local.items()).toEqual([]);
  });

  it.each([
    ['every level', ['critical', 'error', 'warning', 'info', 'debug'].map((level) => item({ level }))],
    ['no level (defaults to error)', [item({ level: undefined })]],
    ['a trace', [item({ body: { trace } })]],
    ['a trace_chain', [item({ body: { trace_chain: [trace, trace] } })]],
    ['a crash_report', [item({ body: { crash_report: { raw: 'dump' } } })]],
    ['an integer timestamp', [item({ timestamp: 1_700_000_000 })]],
  ])('accepts %s', async (_label, bodies) => {
    for (const body of bodies) expect((await post(body)).status).toBe(200);
    expect(local.items()).toHaveLength(bodies.length);
  });

  it('answers 404 outside /api/1/item/', async () => {
    expect((await post(item({}), FAKE_ROLLBAR_TOKEN, '/api/1/items')).status).toBe(404);
  });
});
