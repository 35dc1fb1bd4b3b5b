import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsError, FakeSender } from './fakeSender';
import { fakeBackend, msg } from './helpers';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const existing = () => new FakeSender({ app: ['main'] });

describe('delivery deadline', () => {
  it('sends an event exactly sendIntervalMs after it was logged, not before', async () => {
    const { backend, sender } = fakeBackend({}, {}, existing());
    backend.put({ message: 'hello' });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(sender.puts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sender.puts).toHaveLength(1);
    expect(sender.puts[0]!.at).toBe(T0 + 60_000);
    expect(backend.stats()).toEqual({ sent: 1, dropped: {}, pending: 0 });
  });

  it('measures the deadline from each event, not from when a batch opened', async () => {
    const { backend, sender } = fakeBackend({}, {}, existing());
    const logged: Record<string, number> = {};
    for (const at of [0, 10_000, 59_000, 61_000, 100_000, 170_000]) {
      await vi.advanceTimersByTimeAsync(at - (Date.now() - T0));
      logged[`e${at}`] = Date.now();
      backend.put({ message: `e${at}` });
    }
    await vi.advanceTimersByTimeAsync(300_000);
    const sentAt = new Map<string, number>();
    for (const p of sender.puts) for (const e of p.events) sentAt.set(e.message, p.at);
    expect(sentAt.size).toBe(6);
    for (const [m, at] of sentAt) expect(at - logged[m]!).toBeLessThanOrEqual(60_000);
  });

  it('keeps the deadline of one stream while another stream is throttled', async () => {
    const sender = new FakeSender({ app: ['main', 'other'] });
    sender.always = (c) => (c.stream === 'other' ? awsError('ThrottlingException') : undefined);
    const { backend } = fakeBackend({}, {}, sender);
    backend.put({ message: 'a', stream: 'other' });
    await vi.advanceTimersByTimeAsync(30_000);
    backend.put({ message: 'b' });
    await vi.advanceTimersByTimeAsync(60_000);
    const ok = sender.puts.filter((p) => p.outcome === 'ok');
    expect(ok).toHaveLength(1);
    expect(ok[0]!.at - (T0 + 30_000)).toBeLessThanOrEqual(60_000);
    expect(ok[0]!.events.map((e) => e.message)).toEqual(['b']);
  });

  it('puts every event logged during a throttling burst in a request within the interval', async () => {
    const sender = existing();
    let throttleUntil = T0 + 5 * 60_000;
    sender.always = () => (Date.now() < throttleUntil ? awsError('ThrottlingException') : undefined);
    const { backend } = fakeBackend({}, {}, sender);
    const loggedAt = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      loggedAt.set(`m${i}`, Date.now());
      backend.put({ message: `m${i}` });
      await vi.advanceTimersByTimeAsync(7_000);
    }
    throttleUntil = 0;
    await vi.advanceTimersByTimeAsync(120_000);
    // First request that carried each event, throttled or not.
    const first = new Map<string, number>();
    for (const p of sender.puts)
      for (const e of p.events) if (!first.has(e.message)) first.set(e.message, p.at);
    for (const [m, at] of loggedAt) expect(first.get(m)! - at).toBeLessThanOrEqual(60_000);
    expect(backend.stats()).toEqual({ sent: 40, dropped: {}, pending: 0 });
    // Retries back off: far fewer calls than one per second of throttling.
    expect(sender.puts.length).toBeLessThan(40);
  });
});

describe('full batches', () => {
  it('sends 10,000 events at once without waiting for the timer', async () => {
    const { backend, sender } = fakeBackend({}, {}, existing());
    for (let i = 0; i < 10_001; i++) backend.put({ message: `m${i}` });
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.puts.map((p) => p.events.length)).toEqual([10_000]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sender.puts.map((p) => p.events.length)).toEqual([10_000, 1]);
  });

  it('closes a batch when the next event would pass 1,048,576 bytes counting 26 per event', async () => {
    const { backend, sender } = fakeBackend({}, {}, existing());
    // 100,000 + 26 bytes each: 10 fit (1,000,260), the 11th would not.
    for (let i = 0; i < 25; i++) backend.put({ message: msg(100_000, String.fromCharCode(97 + (i % 26))) });
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.puts.map((p) => p.events.length)).toEqual([10, 10]);
    await backend.flush();
    expect(sender.puts.map((p) => p.events.length)).toEqual([10, 10, 5]);
  });

  it('counts UTF-8 bytes, not characters', async () => {
    const { backend, sender } = fakeBackend({}, {}, existing());
    // 'é' is 2 bytes: 50,000 characters are 100,000 bytes.
    for (let i = 0; i < 11; i++) backend.put({ message: msg(50_000, 'é') });
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.puts.map((p) => p.events.length)).toEqual([10]);
  });

  it('honours smaller maxBatchEvents and maxBatchBytes', async () => {
    const { backend, sender } = fakeBackend({ maxBatchEvents: 3, maxBatchBytes: 2048 }, {}, existing());
    for (let i = 0; i < 7; i++) backend.put({ message: `m${i}` });
    await backend.flush();
    expect(sender.puts.map((p) => p.events.length)).toEqual([3, 3, 1]);
  });
});

describe('valid requests', () => {
  it('sorts each request by timestamp, keeping arrival order for equal timestamps', async () => {
    const { backend, sender } = fakeBackend({}, {}, existing());
    backend.put({ message: 'c', timestamp: T0 - 1_000 });
    backend.put({ message: 'a', timestamp: T0 - 3_000 });
    backend.put({ message: 'b1', timestamp: T0 - 2_000 });
    backend.put({ message: 'b2', timestamp: T0 - 2_000 });
    await backend.flush();
    expect(sender.puts[0]!.events.map((e) => e.message)).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('splits requests whose events would span more than 24 hours', async () => {
    const { backend, sender } = fakeBackend({}, {}, existing());
    const day = 24 * 3600_000;
    backend.put({ message: 'old', timestamp: T0 - 3 * day });
    backend.put({ message: 'old+24h', timestamp: T0 - 2 * day });
    backend.put({ message: 'new', timestamp: T0 });
    await backend.flush();
    expect(sender.puts.map((p) => p.events.map((e) => e.message))).toEqual([['old'], ['old+24h'], ['new']]);
    expect(sender.violations).toEqual([]);
  });

  it('drops and counts events more than 2 h ahead or older than 14 days, and empty messages', async () => {
    const { backend, sender } = fakeBackend({}, {}, existing());
    expect(backend.put({ message: 'future', timestamp: T0 + 2 * 3600_000 + 1 })).toBe(false);
    expect(backend.put({ message: 'ancient', timestamp: T0 - 15 * 24 * 3600_000 })).toBe(false);
    expect(backend.put({ message: '' })).toBe(false);
    expect(backend.put({ message: 'soon', timestamp: T0 + 3600_000 })).toBe(true);
    await backend.flush();
    expect(backend.stats()).toEqual({ sent: 1, dropped: { too_new: 1, too_old: 1, invalid: 1 }, pending: 0 });
    expect(sender.stored.map((e) => e.message)).toEqual(['soon']);
  });

  it('turns rejectedLogEventsInfo into drop counts by reason', async () => {
    const sender = existing();
    sender.next.push(() => ({
      rejectedLogEventsInfo: {
        tooOldLogEventEndIndex: 2,
        expiredLogEventEndIndex: 3,
        tooNewLogEventStartIndex: 9,
      },
    }));
    const { backend } = fakeBackend({}, {}, sender);
    for (let i = 0; i < 10; i++) backend.put({ message: `m${i}`, timestamp: T0 - 10_000 + i });
    await backend.flush();
    expect(backend.stats()).toEqual({ sent: 6, dropped: { too_old: 2, expired: 1, too_new: 1 }, pending: 0 });
    expect(sender.stored).toHaveLength(6);
  });
});

describe('oversize events', () => {
  it('splits an event above maxEventBytes into ordered parts that fit', async () => {
    const { backend, sender } = fakeBackend({ maxEventBytes: 1024 }, {}, existing());
    const big = `${msg(1500, 'a')}é${msg(1500, 'b')}`;
    backend.put({ message: big });
    await backend.flush();
    const parts = sender.stored.map((e) => e.message);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(Buffer.byteLength(p) + 26).toBeLessThanOrEqual(1024);
    const rebuilt = parts.map((p, i) => p.replace(` …[part ${i + 1}/${parts.length}]`, '')).join('');
    expect(rebuilt).toBe(big);
    expect(backend.stats().sent).toBe(parts.length);
  });

  it('truncates with a marker when oversize is truncate', async () => {
    const { backend, sender } = fakeBackend({ maxEventBytes: 1024, oversize: 'truncate' }, {}, existing());
    backend.put({ message: msg(5000) });
    await backend.flush();
    expect(sender.stored).toHaveLength(1);
    const m = sender.stored[0]!.message;
    expect(Buffer.byteLength(m) + 26).toBeLessThanOrEqual(1024);
    expect(m).toMatch(/…\[truncated \d+ bytes\]$/);
  });
});
