import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogStreamsCommand,
  type InputLogEvent,
  InvalidParameterException,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Local, startLocal } from '../src/index';
import { cloudWatchClient } from './clients';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every rule of the CloudWatch Logs reference: one request that must fail, one that must pass. */
describe('CloudWatch Logs validation', () => {
  let local: Local;
  let client: CloudWatchLogsClient;
  let n = 0;
  let group: string;
  beforeAll(async () => {
    local = await startLocal();
    client = cloudWatchClient(local);
  });
  afterAll(async () => {
    client.destroy();
    await local.close();
  });
  beforeEach(async () => {
    group = `/test/g${++n}`;
    await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
  });

  const put = (logEvents: InputLogEvent[], logStreamName = 's') =>
    client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName, logEvents }));
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: unknown) => error as Error,
    );
  const message = (bytes: number) => 'x'.repeat(bytes);

  it('log group names: [.-_/#A-Za-z0-9], 1-512 characters', async () => {
    const bad = await failure(client.send(new CreateLogGroupCommand({ logGroupName: 'bad:name' })));
    expect(bad).toBeInstanceOf(InvalidParameterException);
    expect(bad.message).toContain("at 'logGroupName' failed to satisfy constraint");
    expect(
      await failure(client.send(new CreateLogGroupCommand({ logGroupName: 'a'.repeat(513) }))),
    ).toBeInstanceOf(InvalidParameterException);
    await client.send(new CreateLogGroupCommand({ logGroupName: '/a.b-c_d#e/F9' }));
    await client.send(new CreateLogGroupCommand({ logGroupName: 'a'.repeat(512) }));
    expect(local.logGroups().map((g) => g.name)).toContain('/a.b-c_d#e/F9');
  });

  it('log stream names: no ":" or "*", 1-512 characters', async () => {
    for (const logStreamName of ['a:b', 'a*b', 'x'.repeat(513)]) {
      const error = await failure(
        client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName })),
      );
      expect(error).toBeInstanceOf(InvalidParameterException);
    }
    await client.send(
      new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'host/app name/[1]' }),
    );
  });

  it('creating what exists is ResourceAlreadyExistsException', async () => {
    const groupError = await failure(client.send(new CreateLogGroupCommand({ logGroupName: group })));
    expect(groupError).toBeInstanceOf(ResourceAlreadyExistsException);
    const streamError = await failure(
      client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' })),
    );
    expect(streamError).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(streamError.message).toBe('The specified log stream already exists');
  });

  it('a missing group or stream is ResourceNotFoundException on every operation', async () => {
    const missing = '/test/missing';
    const calls = [
      client.send(new CreateLogStreamCommand({ logGroupName: missing, logStreamName: 's' })),
      client.send(new PutRetentionPolicyCommand({ logGroupName: missing, retentionInDays: 7 })),
      client.send(new DeleteLogGroupCommand({ logGroupName: missing })),
      client.send(new DescribeLogStreamsCommand({ logGroupName: missing })),
      client.send(
        new PutLogEventsCommand({
          logGroupName: missing,
          logStreamName: 's',
          logEvents: [{ timestamp: 1, message: 'm' }],
        }),
      ),
    ];
    for (const error of await Promise.all(calls.map(failure))) {
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.message).toBe('The specified log group does not exist.');
    }
    const stream = await failure(put([{ timestamp: Date.now(), message: 'm' }], 'nope'));
    expect(stream).toBeInstanceOf(ResourceNotFoundException);
  });

  it('retention must be one of the allowed day counts', async () => {
    const error = await failure(
      client.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 2 })),
    );
    expect(error).toBeInstanceOf(InvalidParameterException);
    await client.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 7 }));
    expect(local.logGroups().find((g) => g.name === group)?.retentionInDays).toBe(7);
  });

  it('a batch holds 1 to 10,000 events', async () => {
    expect(await failure(put([]))).toBeInstanceOf(InvalidParameterException);
    const now = Date.now();
    const tooMany = Array.from({ length: 10_001 }, () => ({ timestamp: now, message: 'm' }));
    const error = await failure(put(tooMany));
    expect(error.message).toContain('less than or equal to 10000');
    await put(tooMany.slice(1));
    expect(local.logEvents({ group })).toHaveLength(10_000);
  });

  it('a batch holds at most 1,048,576 bytes, counting 26 bytes per event', async () => {
    const now = Date.now();
    const half = 1_048_576 / 2 - 26;
    const error = await failure(
      put([
        { timestamp: now, message: message(half) },
        { timestamp: now, message: message(half + 1) },
      ]),
    );
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe('Upload too large: 1048577 bytes exceeds limit of 1048576');
    await put([
      { timestamp: now, message: message(half) },
      { timestamp: now, message: message(half) },
    ]);
  });

  it('each event and the batch must respect the event size limit (configurable)', async () => {
    const small = await startLocal({ maxEventBytes: 262_144 });
    const smallClient = cloudWatchClient(small);
    try {
      await smallClient.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      await smallClient.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
      const send = (bytes: number) =>
        smallClient.send(
          new PutLogEventsCommand({
            logGroupName: 'g',
            logStreamName: 's',
            logEvents: [{ timestamp: Date.now(), message: message(bytes) }],
          }),
        );
      const error = await failure(send(262_144 - 26 + 1));
      expect(error.message).toBe('Log event too large: 262145 bytes exceeds limit of 262144');
      await send(262_144 - 26);
      expect(small.logEvents()).toHaveLength(1);
    } finally {
      smallClient.destroy();
      await small.close();
    }
  });

  it('events must be non-empty messages', async () => {
    expect(await failure(put([{ timestamp: Date.now(), message: '' }]))).toBeInstanceOf(
      InvalidParameterException,
    );
    await put([{ timestamp: Date.now(), message: ' ' }]);
  });

  it('events must be in chronological order (equal timestamps are fine)', async () => {
    const now = Date.now();
    const error = await failure(
      put([
        { timestamp: now, message: 'b' },
        { timestamp: now - 1, message: 'a' },
      ]),
    );
    expect(error.message).toBe('Log events in a single PutLogEvents request must be in chronological order.');
    await put([
      { timestamp: now, message: 'a' },
      { timestamp: now, message: 'b' },
    ]);
    expect(local.rejections({ backend: 'cwlogs' }).at(-1)?.reason).toBe('InvalidParameterException');
  });

  it('a batch may span at most 24 hours', async () => {
    const now = Date.now();
    const error = await failure(
      put([
        { timestamp: now - DAY - 1, message: 'a' },
        { timestamp: now, message: 'b' },
      ]),
    );
    expect(error.message).toContain('cannot span more than 24 hours');
    await put([
      { timestamp: now - DAY, message: 'a' },
      { timestamp: now, message: 'b' },
    ]);
  });

  it('events more than 2 h in the future are rejected one by one (tooNewLogEventStartIndex)', async () => {
    const now = Date.now();
    const result = await put([
      { timestamp: now, message: 'now' },
      { timestamp: now + 2 * HOUR - 60_000, message: 'soon' },
      { timestamp: now + 2 * HOUR + 60_000, message: 'too new' },
    ]);
    expect(result.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 2 });
    expect(local.logEvents({ group }).map((e) => e.message)).toEqual(['now', 'soon']);
    expect(local.rejections({ backend: 'cwlogs' }).at(-1)?.reason).toBe('too_new');
  });

  it('events older than 14 days are rejected one by one (tooOldLogEventEndIndex)', async () => {
    const now = Date.now();
    const result = await put([
      { timestamp: now - 14 * DAY - 60_000, message: 'too old' },
      { timestamp: now - 14 * DAY + 60_000, message: 'old enough' },
    ]);
    expect(result.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1 });
    expect(local.logEvents({ group }).map((e) => e.message)).toEqual(['old enough']);
  });

  it("events older than the group's retention are rejected one by one (expiredLogEventEndIndex)", async () => {
    await client.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 1 }));
    const now = Date.now();
    const result = await put([
      { timestamp: now - DAY - 60_000, message: 'expired' },
      { timestamp: now - DAY + 60_000, message: 'kept' },
    ]);
    expect(result.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 1 });
    expect(local.logEvents({ group }).map((e) => e.message)).toEqual(['kept']);
  });

  it('sequence tokens are ignored, as AWS does since 2023', async () => {
    const result = await client.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 's',
        sequenceToken: 'stale-token',
        logEvents: [{ timestamp: Date.now(), message: 'm' }],
      }),
    );
    expect(result.nextSequenceToken).toBeTypeOf('string');
  });
});
