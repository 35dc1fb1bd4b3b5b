import { configureDiagnostics, resetDiagnostics } from '@sightline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers';

describe('delivery failures leave the application unaffected', () => {
  let h: Harness | undefined;
  const warnings: string[] = [];

  afterEach(async () => {
    await h?.close();
    h = undefined;
    warnings.length = 0;
    resetDiagnostics();
  });

  const captureWarnings = () =>
    configureDiagnostics({ sink: (level, message) => level !== 'debug' && warnings.push(message) });

  it('403 (wrong token): counted as unauthorized, warned once with a hint, later items not sent', async () => {
    captureWarnings();
    h = await startHarness({ rollbarAccessToken: 'the-right-fake-token-1111111111' });
    const reporter = h.reporter();
    expect(reporter.report(new Error('first'))).toMatch(/^[0-9a-f-]{36}$/);
    await reporter.forceFlush(5000);
    expect(reporter.report(new Error('second'))).toMatch(/^[0-9a-f-]{36}$/);
    const report = await reporter.forceFlush(5000);
    expect(report).toEqual({ sent: 0, dropped: { unauthorized: 2 }, pending: 0 });
    expect(h.local.requests({ backend: 'rollbar' }).map((r) => r.status)).toEqual([403]);
    const tokenWarnings = warnings.filter((w) => w.includes('ROLLBAR_ACCESS_TOKEN'));
    expect(tokenWarnings).toHaveLength(1);
    expect(tokenWarnings[0]).toContain('post_server_item');
  });

  it('429: the item waits and is delivered on a later attempt', async () => {
    h = await startHarness();
    h.local.faults.rollbar.throttleNext(2);
    const reporter = h.reporter();
    reporter.report(new Error('throttled at first'));
    const report = await reporter.forceFlush(10_000);
    expect(report).toEqual({ sent: 1, dropped: {}, pending: 0 });
    expect(h.local.requests({ backend: 'rollbar' }).map((r) => r.outcome)).toEqual([
      'throttled',
      'throttled',
      'ok',
    ]);
  });

  it('429 past the retries: dropped as throttled_gave_up', async () => {
    h = await startHarness();
    h.local.faults.rollbar.throttleNext(10);
    const reporter = h.reporter({ maxRetries: 1 });
    reporter.report(new Error('always throttled'));
    const report = await reporter.forceFlush(10_000);
    expect(report).toEqual({ sent: 0, dropped: { throttled_gave_up: 1 }, pending: 0 });
    expect(h.local.requests({ backend: 'rollbar' })).toHaveLength(2);
  });

  it('5xx: retried, then delivered', async () => {
    h = await startHarness();
    h.local.faults.rollbar.failNext(2, 503);
    const reporter = h.reporter();
    reporter.report(new Error('server hiccup'));
    expect(await reporter.forceFlush(10_000)).toEqual({ sent: 1, dropped: {}, pending: 0 });
    expect(h.local.items()).toHaveLength(1);
  });

  it('connection refused: retried within the limit, then counted as send_failed', async () => {
    captureWarnings();
    h = await startHarness();
    await h.local.faults.rollbar.refuseConnections();
    const reporter = h.reporter({ maxRetries: 2 });
    expect(() => reporter.report(new Error('nobody listening'))).not.toThrow();
    const report = await reporter.forceFlush(10_000);
    expect(report).toEqual({ sent: 0, dropped: { send_failed: 1 }, pending: 0 });
    expect(warnings.some((w) => w.includes('ECONNREFUSED') && w.includes('3 attempts'))).toBe(true);
  });

  it('slow endpoint: report() returns at once, flush gives up at its deadline, shutdown counts the item', async () => {
    h = await startHarness();
    h.local.faults.rollbar.delayResponses(30_000);
    const reporter = h.reporter();
    const uuid = reporter.report(new Error('slow backend'));
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(reporter.stats().pending).toBe(1);
    const flushed = await reporter.forceFlush(100);
    expect(flushed).toEqual({ sent: 0, dropped: {}, pending: 1 });
    const shut = await reporter.shutdown(100);
    expect(shut).toEqual({ sent: 0, dropped: { shutdown_timeout: 1 }, pending: 0 });
    expect(reporter.report(new Error('after shutdown'))).toBeUndefined();
    expect(reporter.stats().dropped).toEqual({ shutdown_timeout: 1, after_shutdown: 1 });
  });

  it('slow endpoint past requestTimeoutMs: the attempt is abandoned and counted', async () => {
    h = await startHarness();
    h.local.faults.rollbar.delayResponses(30_000);
    const reporter = h.reporter({ requestTimeoutMs: 50, maxRetries: 0 });
    reporter.report(new Error('times out'));
    expect(await reporter.forceFlush(10_000)).toEqual({ sent: 0, dropped: { send_failed: 1 }, pending: 0 });
  });

  it('items past itemsPerMinute are dropped as rate_limited without a request', async () => {
    h = await startHarness();
    const reporter = h.reporter({ itemsPerMinute: 2 });
    const uuids = [1, 2, 3].map((n) => reporter.message(`burst ${n}`));
    expect(uuids[2]).toBeUndefined();
    expect(await reporter.forceFlush(5000)).toEqual({ sent: 2, dropped: { rate_limited: 1 }, pending: 0 });
  });
});
