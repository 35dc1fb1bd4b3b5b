import { createDiagnostics, DropCounter } from '@sightline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ItemTransport, PostOutcome } from '../src/httpTransport';
import { ItemSender, throttleDelayMs } from '../src/sender';

/** A transport whose answers the test scripts; unanswered posts stay in flight. */
function fakeTransport() {
  const posts: { json: string; answer: (o: PostOutcome) => void; aborted: boolean }[] = [];
  let closed = false;
  const transport: ItemTransport = {
    post(json) {
      let answer!: (o: PostOutcome) => void;
      const done = new Promise<PostOutcome>((resolve) => {
        answer = resolve;
      });
      const entry = { json, answer, aborted: false };
      posts.push(entry);
      return {
        done,
        abort: () => {
          entry.aborted = true;
          answer({ kind: 'network', error: new Error('aborted') });
        },
      };
    },
    close: () => {
      closed = true;
    },
  };
  return { transport, posts, isClosed: () => closed };
}

const ok: PostOutcome = {
  kind: 'response',
  status: 200,
  headers: {},
  body: '{"err":0,"result":{"uuid":"u"}}',
};
const status = (code: number, headers = {}): PostOutcome => ({
  kind: 'response',
  status: code,
  headers,
  body: '{"err":1,"message":"nope"}',
});

describe('ItemSender', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let drops: DropCounter;
  let warnings: string[];
  const make = (opts: Partial<ConstructorParameters<typeof ItemSender>[0]> = {}) =>
    new ItemSender({
      transport: fake.transport,
      drops,
      diag: createDiagnostics('errors', { sink: (_l, m) => warnings.push(m) }),
      maxQueueSize: 10,
      maxRetries: 2,
      retryBaseMs: 100,
      ...opts,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    fake = fakeTransport();
    drops = new DropCounter();
    warnings = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts a delivered item as sent and becomes idle', async () => {
    const sender = make();
    sender.enqueue('{"data":{}}', 'u1');
    expect(sender.pending).toBe(1);
    fake.posts[0]!.answer(ok);
    await sender.whenIdle();
    expect(sender.sent).toBe(1);
    expect(drops.snapshot()).toEqual({});
  });

  it('401: drops as unauthorized, warns once, and sends nothing more', async () => {
    const sender = make();
    sender.enqueue('a', 'u1');
    sender.enqueue('b', 'u2');
    fake.posts[0]!.answer(status(401));
    fake.posts[1]!.answer(status(401));
    await sender.whenIdle();
    sender.enqueue('c', 'u3');
    expect(fake.posts).toHaveLength(2);
    expect(drops.snapshot()).toEqual({ unauthorized: 3 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ROLLBAR_ACCESS_TOKEN');
  });

  it('429 with Retry-After: pauses every send until then, then retries', async () => {
    const sender = make({ maxConcurrent: 1 });
    sender.enqueue('a', 'u1');
    sender.enqueue('b', 'u2');
    fake.posts[0]!.answer(status(429, { 'retry-after': '5' }));
    await vi.advanceTimersByTimeAsync(4_900);
    expect(fake.posts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(fake.posts).toHaveLength(2);
    expect(fake.posts[1]!.json).toBe('a');
    fake.posts[1]!.answer(ok);
    await vi.advanceTimersByTimeAsync(0);
    fake.posts[2]!.answer(ok);
    await sender.whenIdle();
    expect(sender.sent).toBe(2);
  });

  it('network errors and 5xx: retried with back-off, then dropped as send_failed', async () => {
    const sender = make({ maxRetries: 2 });
    sender.enqueue('a', 'u1');
    fake.posts[0]!.answer({
      kind: 'network',
      error: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(150);
    expect(fake.posts).toHaveLength(2);
    fake.posts[1]!.answer(status(503));
    await vi.advanceTimersByTimeAsync(300);
    expect(fake.posts).toHaveLength(3);
    fake.posts[2]!.answer(status(500));
    await sender.whenIdle();
    expect(drops.snapshot()).toEqual({ send_failed: 1 });
    expect(warnings.join('\n')).toContain('after 3 attempts');
  });

  it('other 4xx: dropped as rejected, not retried', async () => {
    const sender = make();
    sender.enqueue('a', 'u1');
    fake.posts[0]!.answer(status(422));
    await sender.whenIdle();
    expect(fake.posts).toHaveLength(1);
    expect(drops.snapshot()).toEqual({ rejected: 1 });
  });

  it('an error body in a 200 is not a success', async () => {
    const sender = make();
    sender.enqueue('a', 'u1');
    fake.posts[0]!.answer({ kind: 'response', status: 200, headers: {}, body: '{"err":1,"message":"bad"}' });
    await sender.whenIdle();
    expect(sender.sent).toBe(0);
    expect(drops.snapshot()).toEqual({ rejected: 1 });
  });

  it('is bounded: past maxQueueSize the newest item is dropped as queue_full', () => {
    const sender = make({ maxQueueSize: 3, maxConcurrent: 1 });
    for (let i = 0; i < 5; i++) sender.enqueue(`i${i}`, `u${i}`);
    expect(sender.pending).toBe(3);
    expect(drops.snapshot()).toEqual({ queue_full: 2 });
  });

  it('stop(): aborts what is in flight, counts everything left, refuses later items', async () => {
    const sender = make({ maxConcurrent: 1 });
    sender.enqueue('a', 'u1');
    sender.enqueue('b', 'u2');
    sender.stop();
    expect(fake.posts[0]!.aborted).toBe(true);
    expect(fake.isClosed()).toBe(true);
    expect(sender.pending).toBe(0);
    await sender.whenIdle();
    sender.enqueue('c', 'u3');
    expect(drops.snapshot()).toEqual({ shutdown_timeout: 2, after_shutdown: 1 });
  });

  it('reads Retry-After in seconds or as a date, else Rollbar’s remaining-seconds header', () => {
    expect(throttleDelayMs({ 'retry-after': '3' })).toBe(3000);
    expect(throttleDelayMs({ 'retry-after': new Date(10_000).toUTCString() }, 4_000)).toBe(6000);
    expect(throttleDelayMs({ 'x-rate-limit-remaining-seconds': '7' })).toBe(7000);
    expect(throttleDelayMs({})).toBeUndefined();
  });
});
