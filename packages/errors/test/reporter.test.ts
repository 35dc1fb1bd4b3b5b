import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ItemTransport, PostOutcome } from '../src/httpTransport';
import { createErrorReporter, resolveErrorsConfig } from '../src/index';

/** Answers nothing until told: every post stays in flight. */
function silentTransport() {
  const answers: ((o: PostOutcome) => void)[] = [];
  const transport: ItemTransport = {
    post() {
      let answer!: (o: PostOutcome) => void;
      const done = new Promise<PostOutcome>((resolve) => {
        answer = resolve;
      });
      answers.push(answer);
      return { done, abort: () => answer({ kind: 'network', error: new Error('aborted') }) };
    },
    close: () => undefined,
  };
  return { transport, answers };
}

const ok: PostOutcome = { kind: 'response', status: 200, headers: {}, body: '{"err":0}' };

function reporterWith(transport: ItemTransport, options = {}) {
  const { config } = resolveErrorsConfig(
    { accessToken: 'fake-token-0000000000000000', ...options },
    { ROLLBAR_ENDPOINT: 'http://127.0.0.1:9/api/1/item/' },
  );
  return createErrorReporter(config, {}, { transport });
}

describe('reporter deadlines and limits (fake timers, fake transport)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forceFlush resolves at its deadline with the item still pending; shutdown counts it', async () => {
    const { transport } = silentTransport();
    const reporter = reporterWith(transport);
    reporter.message('stuck');
    await vi.advanceTimersByTimeAsync(0);
    const flushing = reporter.forceFlush(1000);
    let settled = false;
    void flushing.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await flushing).toEqual({ sent: 0, dropped: {}, pending: 1 });
    const shutting = reporter.shutdown(500);
    await vi.advanceTimersByTimeAsync(500);
    expect(await shutting).toEqual({ sent: 0, dropped: { shutdown_timeout: 1 }, pending: 0 });
    expect(await reporter.shutdown(500)).toEqual({ sent: 0, dropped: { shutdown_timeout: 1 }, pending: 0 });
  });

  it('forceFlush resolves as soon as the item is delivered', async () => {
    const { transport, answers } = silentTransport();
    const reporter = reporterWith(transport);
    reporter.message('delivered');
    await vi.advanceTimersByTimeAsync(0);
    const flushing = reporter.forceFlush(60_000);
    answers[0]!(ok);
    expect(await flushing).toEqual({ sent: 1, dropped: {}, pending: 0 });
    await reporter.shutdown(0);
  });

  it('is bounded before building: past maxQueueSize report() drops at once (queue_full)', async () => {
    const { transport } = silentTransport();
    const reporter = reporterWith(transport, { maxQueueSize: 2 });
    expect(reporter.message('one')).toBeDefined();
    expect(reporter.message('two')).toBeDefined();
    expect(reporter.message('three')).toBeUndefined();
    expect(reporter.stats()).toEqual({ sent: 0, dropped: { queue_full: 1 }, pending: 2 });
    const shutting = reporter.shutdown(0);
    await vi.advanceTimersByTimeAsync(0);
    expect((await shutting).dropped).toEqual({ queue_full: 1, shutdown_timeout: 2 });
  });

  it('itemsPerMinute is a window: after a minute items are accepted again', async () => {
    const { transport, answers } = silentTransport();
    const reporter = reporterWith(transport, { itemsPerMinute: 1 });
    expect(reporter.message('one')).toBeDefined();
    expect(reporter.message('two')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reporter.message('three')).toBeDefined();
    await vi.advanceTimersByTimeAsync(0);
    for (const a of answers) a(ok);
    expect(await reporter.forceFlush(1000)).toEqual({ sent: 2, dropped: { rate_limited: 1 }, pending: 0 });
    await reporter.shutdown(0);
  });
});

describe('the exit count', () => {
  it('shares one exit listener between reporters, gone once the last one shut down', async () => {
    const before = process.listenerCount('exit');
    const first = reporterWith(silentTransport().transport);
    const second = reporterWith(silentTransport().transport);
    expect(process.listenerCount('exit')).toBe(before + 1);
    await first.shutdown(0);
    expect(process.listenerCount('exit')).toBe(before + 1);
    await second.shutdown(0);
    expect(process.listenerCount('exit')).toBe(before);
  });
});

describe('captureProcessErrors', () => {
  it('adds one listener per event and the uninstaller removes them (idempotent)', async () => {
    const { transport } = silentTransport();
    const reporter = reporterWith(transport);
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const uninstall = reporter.captureProcessErrors();
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(
      [before[0]! + 1, before[1]! + 1],
    );
    uninstall();
    uninstall();
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(
      before,
    );
    await reporter.shutdown(0);
  });

  it('is a no-op when the backend is off', () => {
    const { config } = resolveErrorsConfig(undefined, {});
    const before = process.listenerCount('uncaughtException');
    const uninstall = createErrorReporter(config).captureProcessErrors();
    expect(process.listenerCount('uncaughtException')).toBe(before);
    uninstall();
  });

  it('shutdown() uninstalls it', async () => {
    const { transport } = silentTransport();
    const reporter = reporterWith(transport);
    const before = process.listenerCount('unhandledRejection');
    reporter.captureProcessErrors();
    await reporter.shutdown(0);
    expect(process.listenerCount('unhandledRejection')).toBe(before);
  });
});
