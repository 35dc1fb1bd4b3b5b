import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maskSecret } from '@sightline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, FAKE_TOKEN, type Harness, onlyItem, startHarness } from './helpers';

describe('items delivered to a Rollbar receiver (@sightline/local)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('reports an error as a trace_chain item with the uuid it returned', async () => {
    const reporter = h.reporter();
    const uuid = reporter.report(new TypeError('cannot read activities'));
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    const report = await reporter.forceFlush(5000);
    expect(report).toEqual({ sent: 1, dropped: {}, pending: 0 });

    const item = await onlyItem(h.local);
    expect(item.uuid).toBe(uuid);
    expect(at(item.data, 'body.trace_chain.0.exception')).toEqual({
      class: 'TypeError',
      message: 'cannot read activities',
    });
    const frames = at(item.data, 'body.trace_chain.0.frames') as { filename: string }[];
    expect(frames.some((f) => f.filename.includes('items.e2e.test.ts'))).toBe(true);
    expect(item.data).toMatchObject({
      level: 'error',
      environment: 'test',
      code_version: '1.2.3',
      language: 'javascript',
      notifier: { name: 'node_rollbar' },
    });
    expect(at(item.data, 'server.root')).toBe(process.cwd());
  });

  it('sends the token in the X-Rollbar-Access-Token header and nowhere in the body', async () => {
    const reporter = h.reporter();
    reporter.report(new Error('token check'));
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    const [request] = h.local.requests({ backend: 'rollbar' });
    expect(request?.headers['x-rollbar-access-token']).toBe(maskSecret(FAKE_TOKEN));
    expect(item.accessToken).toBe(maskSecret(FAKE_TOKEN));
    expect(JSON.stringify(item.payload)).not.toContain(FAKE_TOKEN);
  });

  it("sends /rollbar/test's message: Hello World! at warning", async () => {
    const reporter = h.reporter();
    const uuid = reporter.message('Hello World!', 'warning');
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    expect(item.uuid).toBe(uuid);
    expect(item.data.level).toBe('warning');
    expect(at(item.data, 'body.message.body')).toBe('Hello World!');
    expect(at(item.data, 'body.trace_chain')).toBeUndefined();
  });

  it('reports thrown non-Errors (strings, objects, null) as readable error items', async () => {
    const reporter = h.reporter();
    const password = `pw-${randomUUID()}`;
    const { report } = reporter; // detached, as handlers pass it around
    const uuids = [
      report('plain string', { level: 'critical' }),
      // Made at run time: the test's own source lines travel as code context and must not hold it.
      reporter.report({ code: 'E_FAIL', password }),
      reporter.report(null),
    ];
    await reporter.forceFlush(5000);
    // Items go out in parallel: read them back by uuid, not by arrival order.
    await h.local.waitFor(() => h.local.items().length === 3);
    const items = uuids.map((u) => h.local.items().find((i) => i.uuid === u));
    const exceptions = items.map((i) => at(i?.data, 'body.trace_chain.0.exception'));
    expect(exceptions).toEqual([
      { class: 'NonErrorThrown', message: 'plain string' },
      { class: 'NonErrorThrown', message: 'object thrown: {"code":"E_FAIL","password":"[REDACTED]"}' },
      { class: 'NonErrorThrown', message: 'null thrown' },
    ]);
    expect(items[0]?.data.level).toBe('critical');
    // The stack starts at the report() call, not inside the package.
    const frames = at(items[0]?.data, 'body.trace_chain.0.frames') as { filename: string }[];
    expect(frames.at(-1)?.filename).toContain('items.e2e.test.ts');
    expect(at(items[1]?.data, 'custom.thrown_value')).toEqual({ code: 'E_FAIL', password: '[REDACTED]' });
    expect(JSON.stringify(items[1]?.payload)).not.toContain(password);
  });

  it('includes the cause chain of an error', async () => {
    const reporter = h.reporter();
    reporter.report(new Error('query failed', { cause: new RangeError('connection reset') }));
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    const chain = at(item.data, 'body.trace_chain') as { exception: unknown }[];
    expect(chain.map((t) => t.exception)).toEqual([
      { class: 'Error', message: 'query failed' },
      { class: 'RangeError', message: 'connection reset' },
    ]);
  });

  it('adds request context: method, url, route, headers, query, body, client ip and the person', async () => {
    const reporter = h.reporter();
    reporter.report(new Error('handler failed'), {
      request: {
        method: 'post',
        url: '/api/activities?page=2',
        route: '/api/activities',
        headers: { host: 'cruddur.test', 'content-type': 'application/json', 'user-agent': 'vitest' },
        body: { message: 'hello', ttl: '7-days' },
        remoteAddress: '203.0.113.7',
      },
      user: { id: 42, username: 'andrewbrown' },
      extra: { feature: 'home-feed' },
    });
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    expect(item.data.request).toMatchObject({
      method: 'POST',
      url: 'http://cruddur.test/api/activities?page=2',
      user_ip: '203.0.113.7',
      GET: { page: '2' },
      POST: { message: 'hello', ttl: '7-days' },
      headers: { 'user-agent': 'vitest' },
    });
    expect(item.data.context).toBe('/api/activities');
    expect(item.data.person).toEqual({ id: '42', username: 'andrewbrown' });
    expect(at(item.data, 'custom.feature')).toBe('home-feed');
  });

  it('reads a real node:http request (IncomingMessage) inside a handler, scrubbed', async () => {
    const reporter = h.reporter();
    const secret = `tok-${randomUUID()}`;
    let uuid: string | undefined;
    const server = createServer((req, res) => {
      uuid = reporter.report(new Error('handler blew up'), { request: req });
      res.statusCode = 500;
      res.end('error');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/messages/7?access_token=${secret}&view=full`, {
        headers: { authorization: `Bearer ${secret}`, 'x-request-id': 'req-1' },
      });
      expect(res.status).toBe(500);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    expect(item.uuid).toBe(uuid);
    expect(item.data.request).toMatchObject({
      method: 'GET',
      user_ip: '127.0.0.1',
      GET: { view: 'full' },
      headers: { 'x-request-id': 'req-1' },
    });
    expect(String(at(item.data, 'request.url'))).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/messages\/7\?/);
    expect(JSON.stringify(item)).not.toContain(secret);
  });

  it('survives hooks that throw: the item still goes out', async () => {
    const { createErrorReporter, resolveErrorsConfig } = await import('../src/index');
    const { config } = resolveErrorsConfig(
      { accessToken: 'fake-token-0000000000000000' },
      { ROLLBAR_ENDPOINT: h.local.env.ROLLBAR_ENDPOINT },
    );
    const reporter = createErrorReporter(config, {
      getCorrelation: () => {
        throw new Error('hook bug');
      },
      onReported: () => {
        throw new Error('hook bug');
      },
    });
    h.reporters.push(reporter);
    const uuid = reporter.report(new Error('still reported'));
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(await reporter.forceFlush(5000)).toEqual({ sent: 1, dropped: {}, pending: 0 });
  });

  it('is a no-op without a token: nothing sent, nothing thrown', async () => {
    const { createErrorReporter, resolveErrorsConfig } = await import('../src/index');
    const { config, warnings } = resolveErrorsConfig({}, { ROLLBAR_ENDPOINT: h.local.env.ROLLBAR_ENDPOINT });
    expect(config.enabled).toBe(false);
    expect(warnings.map((w) => w.variable)).toEqual(['ROLLBAR_ACCESS_TOKEN']);
    const reporter = createErrorReporter(config);
    expect(reporter.report(new Error('x'))).toBeUndefined();
    expect(reporter.message('y')).toBeUndefined();
    expect(reporter.describe()).toBe('errors: off (no ROLLBAR_ACCESS_TOKEN)');
    expect(await reporter.shutdown()).toEqual({ sent: 0, dropped: {}, pending: 0 });
    expect(h.local.requests({ backend: 'rollbar' })).toHaveLength(0);
  });
});
