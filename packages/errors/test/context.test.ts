import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { defaultRedactionPolicy } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { buildLinks, fillTemplate } from '../src/correlation';
import { finalizeItemData, serializeItem } from '../src/payload';
import { rejectionMode } from '../src/processCapture';
import { toRollbarRequest } from '../src/requestContext';
import { toReportableError } from '../src/throwable';

const opts = { maxBodyBytes: 1024, captureIp: true };

describe('toRollbarRequest', () => {
  it('reads a real IncomingMessage: method, url, headers (redacted), socket address', () => {
    const socket = new Socket();
    Object.defineProperty(socket, 'remoteAddress', { value: '10.0.0.9' });
    const msg = new IncomingMessage(socket);
    msg.method = 'GET';
    msg.url = '/api/messages?access_token=abc&x=1';
    msg.headers = { host: 'h', authorization: 'Bearer abc', accept: 'application/json' };
    const out = toRollbarRequest(msg, defaultRedactionPolicy, opts);
    socket.destroy();
    expect(out).toEqual({
      method: 'GET',
      url: '/api/messages?access_token=%5BREDACTED%5D&x=1',
      headers: { host: 'h', authorization: '[REDACTED]', accept: 'application/json' },
      ip: '10.0.0.9',
    });
  });

  it('reads an Express-like request: originalUrl, baseUrl + route.path, ip, parsed body', () => {
    const out = toRollbarRequest(
      {
        method: 'post',
        url: '/42',
        originalUrl: '/api/users/42',
        baseUrl: '/api/users',
        route: { path: '/:id' },
        ip: '::1',
        protocol: 'https',
        headers: { 'x-forwarded-for': '203.0.113.1' },
        body: { name: 'a', password: 'p' },
      } as never,
      defaultRedactionPolicy,
      opts,
    );
    expect(out).toMatchObject({
      method: 'POST',
      url: '/api/users/42',
      route: { path: '/api/users/:id' },
      ip: '::1',
      protocol: 'https',
      body: { name: 'a', password: '[REDACTED]' },
    });
  });

  it('takes the client ip from x-forwarded-for when nothing better is known; none with captureIp false', () => {
    const req = { url: '/', headers: { 'x-forwarded-for': '203.0.113.1, 10.0.0.1' } };
    expect(toRollbarRequest(req, defaultRedactionPolicy, opts)?.ip).toBe('203.0.113.1');
    expect(toRollbarRequest(req, defaultRedactionPolicy, { ...opts, captureIp: false })?.ip).toBeUndefined();
  });

  it('builds the query string from a query object when the url has none', () => {
    const out = toRollbarRequest(
      { url: '/search', query: { q: 'cats', token: 'secret-value', tags: ['a', 'b'] }, headers: {} },
      defaultRedactionPolicy,
      opts,
    );
    expect(out?.url).toBe('/search?q=cats&token=%5BREDACTED%5D&tags=a&tags=b');
  });

  it('replaces an oversized JSON body by a note (a cut one would not parse) and binary bodies by their size', () => {
    const big = toRollbarRequest(
      { url: '/', headers: { 'content-type': 'application/json' }, body: { blob: 'x'.repeat(2000) } },
      defaultRedactionPolicy,
      opts,
    );
    expect(big?.body).toEqual({
      _omitted: expect.stringMatching(/^body of \d+ bytes omitted \(over maxBodyBytes 1024\)$/),
    });
    const bin = toRollbarRequest(
      { url: '/', headers: {}, body: Buffer.alloc(10) },
      defaultRedactionPolicy,
      opts,
    );
    expect(bin?.body).toBe('[binary body, 10 bytes]');
  });

  it('leaves out empty bodies and GET bodies (Rollbar would file them over the query)', () => {
    const get = toRollbarRequest(
      { method: 'GET', url: '/?q=1', headers: {}, body: { a: 1 } },
      defaultRedactionPolicy,
      opts,
    );
    const empty = toRollbarRequest(
      { method: 'POST', url: '/', headers: {}, body: {} },
      defaultRedactionPolicy,
      opts,
    );
    expect(get && 'body' in get).toBe(false);
    expect(empty && 'body' in empty).toBe(false);
  });

  it('never throws on junk', () => {
    expect(toRollbarRequest(undefined, defaultRedactionPolicy, opts)).toBeUndefined();
    expect(toRollbarRequest('nope' as never, defaultRedactionPolicy, opts)).toBeUndefined();
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    expect(toRollbarRequest(hostile as never, defaultRedactionPolicy, opts)).toBeUndefined();
  });
});

describe('toReportableError', () => {
  it('keeps Errors, rebuilds error-like objects from another realm, describes the rest', () => {
    const e = new Error('x');
    expect(toReportableError(e, defaultRedactionPolicy).error).toBe(e);
    const foreign = toReportableError(
      { name: 'DOMException', message: 'm', stack: 'DOMException: m\n    at x' },
      defaultRedactionPolicy,
    );
    expect([foreign.error.name, foreign.error.message, foreign.error.stack]).toEqual([
      'DOMException',
      'm',
      'DOMException: m\n    at x',
    ]);
    expect(toReportableError(42, defaultRedactionPolicy).error.message).toBe('number thrown: 42');
    expect(toReportableError(undefined, defaultRedactionPolicy).error.message).toBe('undefined thrown');
    expect(toReportableError('', defaultRedactionPolicy).error.message).toBe('empty string thrown');
  });
});

describe('links', () => {
  it('fills placeholders URL-encoded, and gives nothing when one is unknown', () => {
    expect(fillTemplate('https://x/{team}?q={trace_id}', { team: 'a b', trace_id: 't' })).toBe(
      'https://x/a%20b?q=t',
    );
    expect(fillTemplate('https://x/{team}', {})).toBeUndefined();
  });

  it('builds only the links whose values are known', () => {
    const correlation = {
      trace_id: 'a'.repeat(32),
      span_id: 'b'.repeat(16),
      xray_trace_id: `1-aaaaaaaa-${'a'.repeat(24)}`,
    };
    const links = buildLinks(
      {
        honeycombTrace: 'https://h/{team}/{trace_id}',
        xrayTrace: 'https://{region}/{xray_trace_id}',
        region: 'us-east-1',
      },
      'prod',
      correlation,
    );
    expect(links).toEqual({ xray_trace_url: `https://us-east-1/${correlation.xray_trace_id}` });
    expect(buildLinks({ xrayTrace: 'https://{region}/x', region: 'r' }, 'prod', undefined)).toEqual({});
  });
});

describe('finalizeItemData', () => {
  it('merges custom data and person, redacts the whole payload, drops hook sources and NaN positions', () => {
    const data = {
      uuid: 'u',
      environment: 'e',
      body: {
        trace_chain: [
          {
            exception: { class: 'E', message: 'Bearer abc.def' },
            frames: [{ filename: 'f', lineno: Number.NaN, colno: 3 }],
          },
        ],
      },
      notifier: {
        name: 'node_rollbar',
        configured_options: { onSendCallback: 'function () {}', environment: 'e' },
      },
      server: { argv: ['node', 'app.js', '--api-key=AKIAABCDEFGHIJKLMNOP'] },
    };
    const out = finalizeItemData(
      data,
      {
        uuid: 'ours',
        custom: { trace_id: 'a'.repeat(32), session_token: 'secret' },
        person: { id: 7, email: 'a@b.c' },
      },
      defaultRedactionPolicy,
    );
    expect(out.uuid).toBe('ours');
    expect(out.custom).toEqual({ trace_id: 'a'.repeat(32), session_token: '[REDACTED]' });
    expect(out.person).toEqual({ id: '7', email: 'a@b.c' });
    expect(at(out, 'body.trace_chain.0.exception.message')).toBe('[REDACTED]');
    expect(at(out, 'body.trace_chain.0.frames.0')).toEqual({ filename: 'f', colno: 3 });
    expect(at(out, 'notifier.configured_options')).toEqual({ environment: 'e' });
    expect(at(out, 'server.argv.2')).toBe('--api-key=[REDACTED]');
  });

  it('refuses to serialize an item over 512 KiB', () => {
    expect(serializeItem({ big: 'x'.repeat(600 * 1024) })).toBeUndefined();
    expect(serializeItem({ small: 1 })?.json).toBe('{"data":{"small":1}}');
  });
});

describe('rejectionMode', () => {
  it('reads --unhandled-rejections from the command line over NODE_OPTIONS; throw by default', () => {
    expect(rejectionMode([], undefined)).toBe('throw');
    expect(rejectionMode([], '--unhandled-rejections=warn')).toBe('warn');
    expect(rejectionMode(['--unhandled-rejections=strict'], '--unhandled-rejections=warn')).toBe('strict');
  });
});

function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
