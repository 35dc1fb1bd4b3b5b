import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, type Harness, onlyItem, startHarness } from './helpers';

// Every secret is made at run time, so the only way one can reach the stored item is through the
// reported data (Rollbar also sends source lines around each frame as code context).
const fake = (label: string) => `${label}-${randomUUID()}`;
const b64url = (n: number) => randomBytes(n).toString('base64url');
const fakeAwsKeyId = () => `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;

describe('scrubbing a request full of secrets', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('leaves nothing secret anywhere in the stored item', async () => {
    const secrets = {
      bearer: fake('bearer'),
      cookie: fake('cookie'),
      apiKeyHeader: fake('xapikey'),
      honeycomb: fake('hny'),
      password: fake('password'),
      nestedApiKey: fake('nested'),
      queryToken: fake('qtoken'),
      queryAccessToken: fake('qaccess'),
      messageBearer: fake('msgbearer'),
      awsSecret: fake('awssecret'),
      awsKeyId: fakeAwsKeyId(),
      jwt: `eyJ${b64url(12)}.${b64url(24)}.${b64url(24)}`,
      refresh: fake('refresh'),
      userEmailPassword: fake('pwd'),
    };
    const reporter = h.reporter();
    reporter.report(new Error(`upstream said 401 for Bearer ${secrets.messageBearer}`), {
      request: {
        method: 'POST',
        url: `/api/login?token=${secrets.queryToken}&access_token=${secrets.queryAccessToken}&page=2`,
        route: '/api/login',
        headers: {
          host: 'cruddur.test',
          'content-type': 'application/json',
          'user-agent': 'vitest',
          authorization: `Bearer ${secrets.bearer}`,
          cookie: `session=${secrets.cookie}`,
          'x-api-key': secrets.apiKeyHeader,
          'x-honeycomb-team': secrets.honeycomb,
          'x-client-session': secrets.jwt,
        },
        body: JSON.stringify({
          username: 'andrewbrown',
          password: secrets.password,
          profile: { api_key: secrets.nestedApiKey, refresh_token: secrets.refresh },
        }),
        remoteAddress: '198.51.100.4',
      },
      extra: {
        aws_secret_access_key: secrets.awsSecret,
        note: `deploy key ${secrets.awsKeyId} used`,
        login: { pwd: secrets.userEmailPassword },
      },
    });
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    const stored = JSON.stringify(item);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(stored.includes(secret), `${name} leaked`).toBe(false);
    }
    // What is not secret is still there.
    expect(at(item.data, 'request.method')).toBe('POST');
    expect(at(item.data, 'request.GET.page')).toBe('2');
    expect(at(item.data, 'request.headers.user-agent')).toBe('vitest');
    expect(at(item.data, 'request.POST.username')).toBe('andrewbrown');
    expect(at(item.data, 'custom.note')).toContain('deploy key');
    expect(at(item.data, 'body.trace_chain.0.exception.message')).toContain('upstream said 401');
  });

  it('applies extra scrub fields and headers given in the options', async () => {
    const secret = fake('tenant');
    const reporter = h.reporter({ scrubFields: ['tenant_ref'], scrubHeaders: ['x-tenant'] });
    reporter.report(new Error('tenant failure'), {
      request: { method: 'GET', url: '/t', headers: { host: 'h', 'x-tenant': secret } },
      extra: { tenant_ref: secret },
    });
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    expect(JSON.stringify(item)).not.toContain(secret);
  });

  it('cuts request bodies to maxBodyBytes', async () => {
    const reporter = h.reporter({ maxBodyBytes: 64 });
    reporter.report(new Error('big body'), {
      request: {
        method: 'POST',
        url: '/upload',
        headers: { host: 'h', 'content-type': 'text/plain' },
        body: 'x'.repeat(5000),
      },
    });
    await reporter.forceFlush(5000);
    const item = await onlyItem(h.local);
    const body = String(at(item.data, 'request.body'));
    expect(body.startsWith('x'.repeat(64))).toBe(true);
    expect(body).toContain('body of 5000 bytes omitted (over maxBodyBytes 64)');
    expect(body.length).toBeLessThan(200);
  });
});
