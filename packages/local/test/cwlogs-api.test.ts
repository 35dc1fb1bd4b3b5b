import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Local, startLocal } from '../src/index';
import { cloudWatchClient } from './clients';

const SIGV4 =
  'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/logs/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
  'a'.repeat(64);

describe('CloudWatch Logs API', () => {
  let local: Local;
  let client: CloudWatchLogsClient;
  beforeAll(async () => {
    local = await startLocal();
    client = cloudWatchClient(local);
  });
  beforeEach(async () => {
    for (const { name } of local.logGroups())
      await client.send(new DeleteLogGroupCommand({ logGroupName: name }));
    local.clear();
  });
  afterAll(async () => {
    client.destroy();
    await local.close();
  });

  /** A hand-made request, for the protocol rules the SDK can never break. */
  const raw = (headers: Record<string, string>, body = '{}') =>
    fetch(local.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Logs_20140328.DescribeLogGroups',
        ...headers,
      },
      body,
    }).then(async (res) => ({
      status: res.status,
      type: res.headers.get('x-amzn-errortype'),
      body: (await res.json()) as { __type?: string; message?: string; logGroups?: unknown[] },
    }));

  it('requires a SigV4 authorization header (shape checked, signature not verified)', async () => {
    expect(await raw({})).toMatchObject({
      status: 400,
      body: { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    });
    expect((await raw({ authorization: 'Bearer abc' })).body.__type).toBe('IncompleteSignatureException');
    expect(await raw({ authorization: SIGV4 })).toMatchObject({ status: 200, body: { logGroups: [] } });
  });

  it('answers an unknown target, a body that is not JSON and a wrong content-type like AWS', async () => {
    const unknown = await raw({ authorization: SIGV4, 'x-amz-target': 'Logs_20140328.StartQueryPlease' });
    expect(unknown).toMatchObject({ status: 400, type: 'UnknownOperationException:' });
    expect((await raw({ authorization: SIGV4 }, '{not json')).body.__type).toBe('SerializationException');
    expect((await raw({ authorization: SIGV4, 'content-type': 'text/plain' })).body.__type).toBe(
      'SerializationException',
    );
  });

  it('DescribeLogGroups filters by prefix and pages with nextToken', async () => {
    for (const name of ['/a/1', '/a/2', '/a/3', '/b/1']) {
      await client.send(new CreateLogGroupCommand({ logGroupName: name }));
    }
    const first = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/a/', limit: 2 }));
    expect(first.logGroups?.map((g) => g.logGroupName)).toEqual(['/a/1', '/a/2']);
    const second = await client.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/a/', limit: 2, nextToken: first.nextToken }),
    );
    expect(second.logGroups?.map((g) => g.logGroupName)).toEqual(['/a/3']);
    expect(second.nextToken).toBeUndefined();
    expect(first.logGroups?.[0]?.arn).toBe('arn:aws:logs:us-east-1:000000000000:log-group:/a/1:*');
  });

  it('DescribeLogStreams orders by name or last event time, and refuses LastEventTime with a prefix', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    for (const [stream, offset] of [
      ['b', 0],
      ['a', 10],
    ] as const) {
      await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: stream }));
      await client.send(
        new PutLogEventsCommand({
          logGroupName: 'g',
          logStreamName: stream,
          logEvents: [{ timestamp: Date.now() - 1_000 + offset, message: stream }],
        }),
      );
    }
    const byName = await client.send(new DescribeLogStreamsCommand({ logGroupName: 'g' }));
    expect(byName.logStreams?.map((s) => s.logStreamName)).toEqual(['a', 'b']);
    const byTime = await client.send(
      new DescribeLogStreamsCommand({ logGroupName: 'g', orderBy: 'LastEventTime', descending: true }),
    );
    expect(byTime.logStreams?.map((s) => s.logStreamName)).toEqual(['a', 'b']);
    expect(byTime.logStreams?.[0]?.lastEventTimestamp).toBeTypeOf('number');
    const error = await client
      .send(
        new DescribeLogStreamsCommand({
          logGroupName: 'g',
          orderBy: 'LastEventTime',
          logStreamNamePrefix: 'a',
        }),
      )
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('GetLogEvents reads from the head or the tail, within a time range, with forward tokens', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    const t = Date.now() - 10_000;
    await client.send(
      new PutLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [0, 1, 2, 3].map((i) => ({ timestamp: t + i, message: `m${i}` })),
      }),
    );
    const get = (input: Partial<ConstructorParameters<typeof GetLogEventsCommand>[0]>) =>
      client.send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', ...input }));
    const messages = (r: Awaited<ReturnType<typeof get>>) => r.events?.map((e) => e.message);
    expect(messages(await get({ limit: 2 }))).toEqual(['m2', 'm3']);
    const head = await get({ limit: 2, startFromHead: true });
    expect(messages(head)).toEqual(['m0', 'm1']);
    expect(messages(await get({ limit: 2, nextToken: head.nextForwardToken }))).toEqual(['m2', 'm3']);
    expect(messages(await get({ startTime: t + 1, endTime: t + 3, startFromHead: true }))).toEqual([
      'm1',
      'm2',
    ]);
  });

  it('FilterLogEvents matches term patterns across streams', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    const now = Date.now();
    for (const stream of ['s1', 's2']) {
      await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: stream }));
      await client.send(
        new PutLogEventsCommand({
          logGroupName: 'g',
          logStreamName: stream,
          logEvents: [
            { timestamp: now, message: `ERROR db timeout in ${stream}` },
            { timestamp: now, message: `INFO request ok in ${stream}` },
          ],
        }),
      );
    }
    const filter = async (filterPattern: string, logStreamNames?: string[]) =>
      (
        await client.send(new FilterLogEventsCommand({ logGroupName: 'g', filterPattern, logStreamNames }))
      ).events?.map((e) => `${e.logStreamName}:${e.message}`);
    expect(await filter('ERROR')).toEqual(['s1:ERROR db timeout in s1', 's2:ERROR db timeout in s2']);
    expect(await filter('"db timeout" s2')).toEqual(['s2:ERROR db timeout in s2']);
    expect(await filter('in -ERROR', ['s1'])).toEqual(['s1:INFO request ok in s1']);
    expect(await filter('?ok ?timeout', ['s1'])).toHaveLength(2);
    const error = await client
      .send(new FilterLogEventsCommand({ logGroupName: 'g', filterPattern: '{ $.level = "error" }' }))
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('DeleteLogGroup removes the group and its events', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    await client.send(
      new PutLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [{ timestamp: Date.now(), message: 'm' }],
      }),
    );
    await client.send(new DeleteLogGroupCommand({ logGroupName: 'g' }));
    expect(local.logEvents({ group: 'g' })).toEqual([]);
    expect(local.logGroups()).toEqual([]);
  });
});
