import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Local, startLocal } from '../src/index';
import { cloudWatchClient } from './clients';

describe('CloudWatch Logs receiver', () => {
  let local: Local;
  beforeEach(async () => {
    local = await startLocal();
  });
  afterEach(async () => {
    await local.close();
  });

  it('stores events put by @aws-sdk/client-cloudwatch-logs and serves them back', async () => {
    const client = cloudWatchClient(local);
    await client.send(new CreateLogGroupCommand({ logGroupName: '/cruddur/backend' }));
    await client.send(
      new CreateLogStreamCommand({ logGroupName: '/cruddur/backend', logStreamName: 'host/app/1' }),
    );
    const now = Date.now();
    const put = await client.send(
      new PutLogEventsCommand({
        logGroupName: '/cruddur/backend',
        logStreamName: 'host/app/1',
        logEvents: [
          { timestamp: now - 1, message: 'first' },
          { timestamp: now, message: 'second' },
        ],
      }),
    );
    expect(put.rejectedLogEventsInfo).toBeUndefined();
    expect(local.logEvents({ group: '/cruddur/backend', stream: 'host/app/1' })).toMatchObject([
      { group: '/cruddur/backend', stream: 'host/app/1', timestamp: now - 1, message: 'first' },
      { timestamp: now, message: 'second' },
    ]);
    const got = await client.send(
      new GetLogEventsCommand({
        logGroupName: '/cruddur/backend',
        logStreamName: 'host/app/1',
        startFromHead: true,
      }),
    );
    expect(got.events?.map((e) => e.message)).toEqual(['first', 'second']);
    const request = local.requests({ backend: 'cwlogs' }).find((r) => r.operation === 'PutLogEvents')!;
    expect(request.headers.authorization).toMatch(/^\*\*\*\*[0-9a-f]{4}$/);
    client.destroy();
  });

  it('answers a missing stream with a typed ResourceNotFoundException', async () => {
    const client = cloudWatchClient(local);
    await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    const error = await client
      .send(
        new PutLogEventsCommand({
          logGroupName: 'g',
          logStreamName: 's',
          logEvents: [{ timestamp: Date.now(), message: 'm' }],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe('The specified log stream does not exist.');
    expect(local.rejections({ backend: 'cwlogs' })[0]).toMatchObject({ reason: 'ResourceNotFoundException' });
    client.destroy();
  });
});
