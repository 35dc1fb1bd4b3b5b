import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsError, FakeSender, networkError } from './fakeSender';
import { fakeBackend } from './helpers';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const DAY = 24 * 3600_000;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const existing = () => new FakeSender({ app: ['main'] });

describe('retries', () => {
  it('retries 5xx and refused connections with capped exponential backoff and jitter, then delivers', async () => {
    const sender = existing();
    sender.next.push(
      () => awsError('ServiceUnavailableException', 503),
      () => networkError(),
      () => networkError(),
      () => networkError(),
      () => networkError(),
      () => networkError(),
      () => networkError(),
    );
    const { backend } = fakeBackend({ retryBaseDelayMs: 1_000, retryMaxDelayMs: 30_000 }, {}, sender);
    backend.put({ message: 'x' });
    await vi.advanceTimersByTimeAsync(60_000 + 10 * 60_000);
    const times = sender.puts.map((p) => p.at - T0);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // random() = 0.5: each delay is 3/4 of min(30 s, 1 s * 2^(n-1)).
    expect(gaps).toEqual([750, 1_500, 3_000, 6_000, 12_000, 22_500, 22_500]);
    expect(backend.stats()).toEqual({ sent: 1, dropped: {}, pending: 0 });
  });

  it('keeps retrying through a long outage and gives up only when events would be too old for CloudWatch', async () => {
    const sender = existing();
    sender.always = () => networkError();
    const { backend } = fakeBackend({ retryMaxDelayMs: 3_600_000 }, {}, sender);
    backend.put({ message: 'x' });
    await vi.advanceTimersByTimeAsync(13 * DAY);
    expect(backend.stats()).toMatchObject({ sent: 0, pending: 1 });
    await vi.advanceTimersByTimeAsync(DAY + 3600_000);
    expect(backend.stats()).toEqual({ sent: 0, dropped: { send_failed: 1 }, pending: 0 });
  });

  it('counts events that age out under throttling as throttled_gave_up', async () => {
    const sender = existing();
    sender.always = () => awsError('ThrottlingException');
    const { backend } = fakeBackend({ retryMaxDelayMs: 3_600_000 }, {}, sender);
    backend.put({ message: 'x' });
    await vi.advanceTimersByTimeAsync(15 * DAY);
    expect(backend.stats()).toEqual({ sent: 0, dropped: { throttled_gave_up: 1 }, pending: 0 });
  });

  it('drops a batch refused for its credentials as unauthorized and warns once', async () => {
    const sender = existing();
    sender.always = () =>
      awsError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.');
    const { backend, warnings } = fakeBackend({}, {}, sender);
    backend.put({ message: 'a' });
    await backend.flush();
    backend.put({ message: 'b' });
    await backend.flush();
    expect(backend.stats()).toEqual({ sent: 0, dropped: { unauthorized: 2 }, pending: 0 });
    expect(warnings.filter((w) => w.includes('credentials'))).toHaveLength(1);
  });

  it('does not retry an InvalidParameterException: counts the batch as rejected', async () => {
    const sender = existing();
    sender.next.push(() => awsError('InvalidParameterException'));
    const { backend } = fakeBackend({}, {}, sender);
    backend.put({ message: 'a' });
    await backend.flush();
    expect(backend.stats()).toEqual({ sent: 0, dropped: { rejected: 1 }, pending: 0 });
  });

  it('aborts a request that hangs past requestTimeoutMs and retries it', async () => {
    const sender = existing();
    let release: () => void = () => undefined;
    sender.gate = new Promise((r) => {
      release = r;
    });
    const { backend } = fakeBackend({ requestTimeoutMs: 5_000 }, {}, sender);
    backend.put({ message: 'a' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sender.inFlight).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    release();
    sender.gate = undefined;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(backend.stats()).toEqual({ sent: 1, dropped: {}, pending: 0 });
    expect(sender.stored).toHaveLength(1);
  });
});

describe('groups and streams', () => {
  it('creates a missing group (with tags and retention) and stream once, lazily, then sends; never Describe', async () => {
    const sender = new FakeSender();
    const { backend } = fakeBackend({ retentionInDays: 14, tags: { team: 'cruddur' } }, {}, sender);
    expect(sender.calls).toEqual([]);
    backend.put({ message: 'a' });
    await backend.flush();
    backend.put({ message: 'b' });
    await backend.flush();
    expect(sender.calls).toEqual([
      'CreateLogStream',
      'CreateLogGroup',
      'PutRetentionPolicy',
      'CreateLogStream',
      'PutLogEvents',
      'PutLogEvents',
    ]);
    expect(sender.groups.get('app')).toMatchObject({ tags: { team: 'cruddur' }, retention: 14 });
    expect(backend.stats().sent).toBe(2);
  });

  it('treats ResourceAlreadyExistsException as success and leaves an existing group alone', async () => {
    const sender = existing();
    const { backend } = fakeBackend({ retentionInDays: 14 }, {}, sender);
    backend.put({ message: 'a' });
    await backend.flush();
    expect(sender.calls).toEqual(['CreateLogStream', 'PutLogEvents']);
    expect(sender.groups.get('app')!.retention).toBeUndefined();
  });

  it('re-creates a stream deleted while running (ResourceNotFoundException on put) and retries', async () => {
    const sender = existing();
    const { backend } = fakeBackend({}, {}, sender);
    backend.put({ message: 'a' });
    await backend.flush();
    sender.groups.get('app')!.streams.delete('main');
    backend.put({ message: 'b' });
    await backend.flush();
    expect(sender.stored.map((e) => e.message)).toEqual(['a', 'b']);
    expect(backend.stats()).toEqual({ sent: 2, dropped: {}, pending: 0 });
  });

  it('counts send_failed when the group is missing and createLogGroup is false', async () => {
    const sender = new FakeSender();
    const { backend, warnings } = fakeBackend({ createLogGroup: false }, {}, sender);
    backend.put({ message: 'a' });
    await backend.flush();
    expect(backend.stats()).toEqual({ sent: 0, dropped: { send_failed: 1 }, pending: 0 });
    expect(warnings.join('\n')).toContain('createLogGroup is false');
  });

  it('sends to several groups and streams from one batcher, sanitizing stream names', async () => {
    const sender = new FakeSender();
    const { backend } = fakeBackend({}, {}, sender);
    backend.put({ message: 'a' });
    backend.put({ message: 'b', group: 'audit', stream: 'x:y*z' });
    expect(backend.put({ message: 'c', group: 'bad group!' })).toBe(false);
    await backend.flush();
    expect(sender.stored.map((e) => `${e.group}/${e.stream}/${e.message}`).sort()).toEqual([
      'app/main/a',
      'audit/x_y_z/b',
    ]);
    expect(backend.stats().dropped).toEqual({ invalid: 1 });
  });

  it('forgets idle streams so that many stream names do not grow memory, and still delivers to them', async () => {
    const sender = new FakeSender();
    const { backend } = fakeBackend({}, {}, sender);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 800; i++) backend.put({ message: `r${round}`, stream: `job-${round}-${i}` });
      await backend.flush();
    }
    backend.put({ message: 'again', stream: 'job-0-0' });
    await backend.flush();
    expect(backend.stats()).toEqual({ sent: 2401, dropped: {}, pending: 0 });
    expect(sender.stored.filter((e) => e.stream === 'job-0-0').map((e) => e.message)).toEqual([
      'r0',
      'again',
    ]);
  });

  it('bounds the requests in flight by maxConcurrentPuts', async () => {
    const sender = existing();
    let release: () => void = () => undefined;
    sender.gate = new Promise((r) => {
      release = r;
    });
    const { backend } = fakeBackend({ maxConcurrentPuts: 2, maxBatchEvents: 10 }, {}, sender);
    for (let i = 0; i < 100; i++) backend.put({ message: `m${i}` });
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.inFlight).toBe(2);
    release();
    sender.gate = undefined;
    await backend.flush();
    expect(sender.maxInFlight).toBe(2);
    expect(sender.puts).toHaveLength(10);
    expect(sender.stored.map((e) => e.message)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
  });
});

describe('bounded memory', () => {
  it('refuses new events past maxQueueEvents (drop-newest) and counts queue_full', async () => {
    const sender = existing();
    sender.always = () => networkError();
    const { backend } = fakeBackend({ maxQueueEvents: 100 }, {}, sender);
    for (let i = 0; i < 150; i++) backend.put({ message: `m${i}` });
    expect(backend.stats()).toMatchObject({ pending: 100, dropped: { queue_full: 50 } });
    sender.always = undefined;
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(backend.stats()).toEqual({ sent: 100, dropped: { queue_full: 50 }, pending: 0 });
    expect(sender.stored.map((e) => e.message)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
  });

  it('drops the earliest queued events instead with drop-oldest', async () => {
    const sender = existing();
    sender.always = () => networkError();
    const { backend } = fakeBackend({ maxQueueEvents: 100, overflow: 'drop-oldest' }, {}, sender);
    for (let i = 0; i < 150; i++) backend.put({ message: `m${i}`, timestamp: T0 + i });
    sender.always = undefined;
    await backend.flush();
    expect(backend.stats()).toEqual({ sent: 100, dropped: { queue_full: 50 }, pending: 0 });
    expect(sender.stored.map((e) => e.message)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i + 50}`));
  });

  it('bounds the queue in bytes', async () => {
    const sender = existing();
    sender.always = () => networkError();
    const { backend } = fakeBackend({ maxQueueBytes: 65_536 }, {}, sender);
    for (let i = 0; i < 100; i++) backend.put({ message: 'x'.repeat(1000) });
    // 1,026 bytes each: 63 fit in 65,536.
    expect(backend.stats()).toMatchObject({ pending: 63, dropped: { queue_full: 37 } });
  });
});

describe('lifecycle', () => {
  it('flush() resolves when everything logged before it is settled, not waiting for later events', async () => {
    const sender = existing();
    const { backend } = fakeBackend({}, {}, sender);
    backend.put({ message: 'a' });
    const flushed = backend.flush();
    backend.put({ message: 'later' });
    const report = await flushed;
    expect(sender.stored.map((e) => e.message)).toContain('a');
    expect(report.sent).toBeGreaterThanOrEqual(1);
  });

  it('shutdown() drains under its deadline, reports what it could not send, then refuses new events', async () => {
    const sender = existing();
    sender.always = () => networkError();
    const { backend } = fakeBackend({}, {}, sender);
    for (let i = 0; i < 5; i++) backend.put({ message: `m${i}` });
    const done = backend.shutdown(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await done).toEqual({ sent: 0, dropped: { shutdown_timeout: 5 }, pending: 0 });
    expect(backend.put({ message: 'late' })).toBe(false);
    expect(backend.stats().dropped).toEqual({ shutdown_timeout: 5, after_shutdown: 1 });
    expect(await backend.shutdown()).toEqual(await done);
  });

  it('shutdown() sends everything when the service answers', async () => {
    const { backend, sender } = fakeBackend({}, {}, existing());
    for (let i = 0; i < 5; i++) backend.put({ message: `m${i}` });
    expect(await backend.shutdown(2_000)).toEqual({ sent: 5, dropped: {}, pending: 0 });
    expect(sender.stored).toHaveLength(5);
  });

  it('forceFlush(timeoutMs) resolves by its deadline even when the service is down', async () => {
    const sender = existing();
    sender.always = () => networkError();
    const { backend } = fakeBackend({}, {}, sender);
    backend.put({ message: 'a' });
    const p = backend.forceFlush(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await p).toMatchObject({ sent: 0, pending: 1 });
  });

  it('leaves no timer behind once everything is sent', async () => {
    const { backend } = fakeBackend({}, {}, existing());
    backend.put({ message: 'a' });
    await backend.flush();
    expect(vi.getTimerCount()).toBe(0);
  });
});
