import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageHours, ISO_WITH_OFFSET, json, postJson, type RunningApp, startApp } from './helpers.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
});

const get = (path: string, init?: RequestInit) => fetch(`${app.url}${path}`, init);

/** Asserts a timestamp is an offset ISO string about `hours` from now (negative: in the past). */
function expectAbout(iso: unknown, hoursFromNow: number): void {
  expect(iso).toMatch(ISO_WITH_OFFSET);
  expect(-ageHours(iso as string)).toBeCloseTo(hoursFromNow, 1);
}

describe('GET /api/health-check', () => {
  it('answers success and the version', async () => {
    const res = await get('/api/health-check');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ success: true, ver: 1 });
  });
});

describe('GET /api/activities/home', () => {
  it('answers the three mock activities with their mixed likes fields', async () => {
    const res = await get('/api/activities/home');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await json(res);
    expect(body).toHaveLength(3);
    const [first, second, third] = body;
    expect(first).toMatchObject({
      uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
      handle: 'Andrew Brown',
      message: 'Cloud is very fun!',
      likes_count: 5,
      replies_count: 1,
      reposts_count: 0,
    });
    expectAbout(first.created_at, -48);
    expectAbout(first.expires_at, 5 * 24);
    expect(first.replies).toHaveLength(1);
    expect(first.replies[0]).toMatchObject({
      uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67',
      reply_to_activity_uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
      handle: 'Worf',
      message: 'This post has no honor!',
      likes_count: 0,
      replies_count: 0,
      reposts_count: 0,
    });
    expectAbout(first.replies[0].created_at, -48);
    expect(second).toMatchObject({
      uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67',
      handle: 'Worf',
      message: 'I am out of prune juice',
      likes: 0,
      replies: [],
    });
    expect(second).not.toHaveProperty('likes_count');
    expectAbout(second.created_at, -7 * 24);
    expectAbout(second.expires_at, 9 * 24);
    expect(third).toMatchObject({
      uuid: '248959df-3079-4947-b847-9e0892d1bab4',
      handle: 'Garek',
      message: 'My dear doctor, I am just simple tailor',
      likes: 0,
      replies: [],
    });
    expectAbout(third.created_at, -1);
    expectAbout(third.expires_at, 12);
  });
});

describe('GET /api/activities/notifications', () => {
  it('answers the one mock notification with its reply', async () => {
    const res = await get('/api/activities/notifications');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({
      uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
      handle: 'coco',
      message: 'I am white unicorn',
      likes_count: 5,
      replies_count: 1,
      reposts_count: 0,
    });
    expectAbout(body[0].created_at, -48);
    expectAbout(body[0].expires_at, 5 * 24);
    expect(body[0].replies).toHaveLength(1);
    expect(body[0].replies[0]).toMatchObject({ handle: 'worf', message: 'this post has no honor!' });
  });
});

describe('GET /api/activities/@:handle', () => {
  it('answers the one mock activity whatever the handle', async () => {
    for (const handle of ['andrewbrown', 'nobody']) {
      const res = await get(`/api/activities/@${handle}`);
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body).toHaveLength(1);
      expect(body[0]).toMatchObject({
        uuid: '248959df-3079-4947-b847-9e0892d1bab4',
        handle: 'Andrew Brown',
        message: 'Cloud is fun!',
      });
      expectAbout(body[0].created_at, -24);
      expectAbout(body[0].expires_at, 31 * 24);
    }
  });
});

describe('GET /api/activities/search', () => {
  it('answers one activity created now for a term', async () => {
    const res = await get('/api/activities/search?term=cloud');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({
      uuid: '248959df-3079-4947-b847-9e0892d1bab4',
      handle: 'Andrew Brown',
      message: 'Cloud is fun!',
    });
    expectAbout(body[0].created_at, 0);
  });

  it.each(['', '?term=', '?other=x'])('answers 422 search_term_blank for %j', async (query) => {
    const res = await get(`/api/activities/search${query}`);
    expect(res.status).toBe(422);
    expect(await json(res)).toEqual(['search_term_blank']);
  });
});

describe('GET /api/activities/:activity_uuid', () => {
  it('answers a list of one activity whose replies is an object (the original answered 500)', async () => {
    const res = await get('/api/activities/68f126b0-1ceb-4a33-88be-d90fa7109eee');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({
      uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
      handle: 'Andrew Brown',
      message: 'Cloud is fun!',
      replies: {
        uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67',
        handle: 'Worf',
        message: 'This post has no honor!',
      },
    });
    expect(Array.isArray(body[0].replies)).toBe(false);
    expectAbout(body[0].created_at, -48);
    expectAbout(body[0].expires_at, 5 * 24);
    expectAbout(body[0].replies.created_at, -48);
  });
});

describe('POST /api/activities', () => {
  const url = () => `${app.url}/api/activities`;
  const ttlHours: Record<string, number> = {
    '30-days': 720,
    '7-days': 168,
    '3-days': 72,
    '1-day': 24,
    '12-hours': 12,
    '3-hours': 3,
    '1-hour': 1,
  };

  it.each(Object.entries(ttlHours))('creates an activity expiring in %s', async (ttl, hours) => {
    const res = await postJson(url(), { message: 'Hello Cruddur', ttl });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(
      ['created_at', 'display_name', 'expires_at', 'handle', 'message', 'uuid'].sort(),
    );
    expect(body).toMatchObject({
      display_name: 'Andrew Brown',
      handle: 'andrewbrown',
      message: 'Hello Cruddur',
    });
    expect(body.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expectAbout(body.created_at, 0);
    expectAbout(body.expires_at, hours);
  });

  it('accepts exactly 280 characters, counting an emoji once', async () => {
    const res = await postJson(url(), { message: `${'x'.repeat(279)}🚀`, ttl: '1-day' });
    expect(res.status).toBe(200);
  });

  it.each([
    ['a bad ttl', { message: 'hi', ttl: '2-days' }, ['ttl_blank']],
    ['no ttl', { message: 'hi' }, ['ttl_blank']],
    ['a blank message', { message: '', ttl: '1-day' }, ['message_blank']],
    ['no message', { ttl: '1-day' }, ['message_blank']],
    ['281 characters', { message: 'x'.repeat(281), ttl: '1-day' }, ['message_exceed_max_chars']],
    // The last failing check wins: the message is checked after the ttl.
    ['a blank message and a bad ttl', { message: '', ttl: 'forever' }, ['message_blank']],
    ['a long message and no ttl', { message: 'x'.repeat(300) }, ['message_exceed_max_chars']],
    ['a non-string message', { message: 42, ttl: '1-day' }, ['message_blank']],
    ['an empty body', {}, ['message_blank']],
  ])('answers 422 for %s', async (_case, body, errors) => {
    const res = await postJson(url(), body);
    expect(res.status).toBe(422);
    expect(await json(res)).toEqual(errors);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(res.status).toBe(400);
  });
});

describe('POST /api/activities/:activity_uuid/reply', () => {
  const url = (uuid = '68f126b0-1ceb-4a33-88be-d90fa7109eee') => `${app.url}/api/activities/${uuid}/reply`;

  it('creates a reply to the activity', async () => {
    const res = await postJson(url(), { message: 'Qapla!' });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      display_name: 'Andrew Brown',
      handle: 'andrewbrown',
      message: 'Qapla!',
      reply_to_activity_uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
    });
    expect(body.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expectAbout(body.created_at, 0);
  });

  it('accepts 1024 characters', async () => {
    expect((await postJson(url(), { message: 'x'.repeat(1024) })).status).toBe(200);
  });

  it.each([
    ['a blank message', { message: '' }, ['message_blank']],
    ['no message', {}, ['message_blank']],
    ['1025 characters', { message: 'x'.repeat(1025) }, ['message_exceed_max_chars']],
  ])('answers 422 for %s (the original answered 500)', async (_case, body, errors) => {
    const res = await postJson(url(), body);
    expect(res.status).toBe(422);
    expect(await json(res)).toEqual(errors);
  });
});

describe('GET /api/message_groups', () => {
  it('answers the two mock groups', async () => {
    const res = await get('/api/message_groups');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.map(({ created_at: _, ...rest }: Record<string, unknown>) => rest)).toEqual([
      { uuid: '24b95582-9e7b-4e0a-9ad1-639773ab7552', display_name: 'Andrew Brown', handle: 'andrewbrown' },
      { uuid: '417c360e-c4e6-4fce-873b-d2d71469b4ac', display_name: 'Worf', handle: 'worf' },
    ]);
    for (const group of body) expectAbout(group.created_at, 0);
  });
});

describe('GET /api/messages/@:handle', () => {
  it('answers the two mock messages', async () => {
    const res = await get('/api/messages/@worf');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.map(({ created_at: _, ...rest }: Record<string, unknown>) => rest)).toEqual([
      {
        uuid: '4e81c06a-db0f-4281-b4cc-98208537772a',
        display_name: 'Andrew Brown',
        handle: 'andrewbrown',
        message: 'Cloud is fun!',
      },
      {
        uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67',
        display_name: 'Andrew Brown',
        handle: 'andrewbrown',
        message: 'This platform is great!',
      },
    ]);
    for (const message of body) expectAbout(message.created_at, 0);
  });
});

describe('POST /api/messages', () => {
  const url = () => `${app.url}/api/messages`;

  it('creates a message from andrewbrown', async () => {
    const res = await postJson(url(), {
      message: 'Today is a good day to die',
      user_receiver_handle: 'worf',
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(['created_at', 'display_name', 'handle', 'message', 'uuid']);
    expect(body).toMatchObject({
      display_name: 'Andrew Brown',
      handle: 'andrewbrown',
      message: 'Today is a good day to die',
    });
    expectAbout(body.created_at, 0);
  });

  it.each([
    ['no receiver', { message: 'hi' }, ['user_reciever_handle_blank']],
    ['a blank receiver', { message: 'hi', user_receiver_handle: '' }, ['user_reciever_handle_blank']],
    ['a blank message', { message: '', user_receiver_handle: 'worf' }, ['message_blank']],
    [
      '1025 characters',
      { message: 'x'.repeat(1025), user_receiver_handle: 'worf' },
      ['message_exceed_max_chars'],
    ],
    // The last failing check wins: the message is checked after the receiver.
    ['no receiver and no message', {}, ['message_blank']],
    ['no receiver and a long message', { message: 'x'.repeat(2000) }, ['message_exceed_max_chars']],
  ])('answers 422 for %s', async (_case, body, errors) => {
    const res = await postJson(url(), body);
    expect(res.status).toBe(422);
    expect(await json(res)).toEqual(errors);
  });
});

describe('GET /rollbar/test', () => {
  it('answers Hello World! as text', async () => {
    const res = await get('/rollbar/test');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Hello World!');
  });
});

describe('GET /rollbar/error', () => {
  it('fails on purpose with a 500 and no stack trace in the body', async () => {
    const res = await get('/rollbar/error');
    expect(res.status).toBe(500);
    expect(await json(res)).toEqual({ error: 'internal_server_error' });
  });
});

describe('unknown routes', () => {
  it('answer 404', async () => {
    expect((await get('/api/nope')).status).toBe(404);
    expect((await get('/api/activities/home/extra')).status).toBe(404);
  });
});
