import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Local, startLocal } from '@sightline/local';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsSender } from '../src/awsSender';
import type { InputLogEvent, LogsSender } from '../src/sender';

// Obviously fake credentials: nothing here leaves 127.0.0.1.
const KEY = 'AKIDFAKEFAKEFAKEFAKE';
const SECRET = 'fake-secret-for-tests-only';
const REGION = 'us-east-1';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function senderFor(endpoint: string): LogsSender {
  const sender = createAwsSender({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
    maxAttempts: 1,
  });
  cleanups.push(() => sender.destroy?.());
  return sender;
}

const now = Date.now();
// What the SDK's own serializer would have had to escape, and sizes up to the event limit.
const EVENTS: InputLogEvent[] = [
  { timestamp: now, message: '{"level":"info","message":"quotes \\" and backslashes \\\\"}' },
  { timestamp: now, message: 'line one\nline two\r\n\ttabbed \u0000 \u001f \u007f control' },
  { timestamp: now + 1, message: 'unicode: é ü ß 中文 日本語 emoji 😀👍🏽 rtl עברית' },
  { timestamp: now + 1, message: 'lone surrogates \ud800 and \udfff stay escaped' },
  { timestamp: now + 2, message: `large ${'"quoted" é😀 '.repeat(12_000)}` },
  { timestamp: now + 3, message: 'x'.repeat(250_000) },
];

describe('the AWS sender writes PutLogEvents bodies natively', () => {
  it('delivers quotes, newlines, control characters, unicode and large messages intact through the real SDK', async () => {
    const local: Local = await startLocal();
    cleanups.push(() => local.close());
    const sender = senderFor(local.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS);
    await sender.createLogGroup({ logGroupName: 'g' });
    await sender.createLogStream({ logGroupName: 'g', logStreamName: 's' });

    const result = await sender.putLogEvents({ logGroupName: 'g', logStreamName: 's', logEvents: EVENTS });

    expect(result).toEqual({});
    const stored = local.logEvents({ group: 'g', stream: 's' });
    expect(stored.map((e) => ({ timestamp: e.timestamp, message: e.message }))).toEqual(EVENTS);
    expect(local.rejections({ backend: 'cwlogs' })).toEqual([]);
  });

  it('signs and sizes the body it sends (Content-Length and the SigV4 payload hash are of the real events)', async () => {
    const seen: { headers: IncomingHttpHeaders; body: Buffer; method?: string; url?: string }[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks), method: req.method, url: req.url });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const sender = senderFor(`http://127.0.0.1:${port}`);

    await sender.putLogEvents({ logGroupName: 'g', logStreamName: 's', logEvents: EVENTS });

    expect(seen).toHaveLength(1);
    const { headers, body, method, url } = seen[0]!;
    expect(headers['x-amz-target']).toBe('Logs_20140328.PutLogEvents');
    expect(headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(Number(headers['content-length'])).toBe(body.length);
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      logGroupName: 'g',
      logStreamName: 's',
      logEvents: EVENTS,
    });
    expect(signatureOf(headers)).toBe(expectedSignature(method ?? '', url ?? '', headers, body));
  });
});

function signatureOf(headers: IncomingHttpHeaders): string | undefined {
  return /Signature=([0-9a-f]{64})/.exec(String(headers.authorization))?.[1];
}

/** SigV4 recomputed from what arrived (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). */
function expectedSignature(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): string {
  const auth = String(headers.authorization);
  const signedHeaders = /SignedHeaders=([^,\s]+)/.exec(auth)?.[1] ?? '';
  const scope = /Credential=[^/]+\/([^,\s]+)/.exec(auth)?.[1] ?? '';
  const [date = '', region = '', service = ''] = scope.split('/');
  const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const [path = '/', query = ''] = url.split('?');
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${String(headers[name]).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [method, path, query, canonicalHeaders, signedHeaders, sha256(body)].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    String(headers['x-amz-date']),
    scope,
    sha256(canonicalRequest),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, date), region), service), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}
