import { createDiagnostics } from '@sightline/core';
import { type Local, startLocal } from '@sightline/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsSender } from '../src/awsSender';
import { type CloudWatchLogsBackend, createCloudWatchLogs } from '../src/backend';
import type { CloudWatchLogsOptions } from '../src/options';
import { resolveCloudWatchLogsConfig } from '../src/resolveConfig';
import { ManualClock } from './manualClock';
import { observe } from './observedSender';

let local: Local;
const backends: CloudWatchLogsBackend[] = [];

beforeEach(async () => {
  local = await startLocal();
});
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.shutdown(1_000)));
  await local.close();
});

/** A backend on the real AWS SDK pointed at @sightline/local. */
function realBackend(options: CloudWatchLogsOptions = {}, clock?: ManualClock) {
  const inner = createAwsSender({
    endpoint: local.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS,
    region: local.env.AWS_REGION,
    credentials: {
      accessKeyId: local.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY,
    },
    maxAttempts: options.sdkMaxAttempts ?? 1,
  });
  const observed = observe(inner);
  const { config, problems } = resolveCloudWatchLogsConfig(
    {
      logGroupName: 'cruddur',
      logStreamName: 'backend',
      handleExit: false,
      sender: observed.sender,
      retryBaseDelayMs: 20,
      retryMaxDelayMs: 200,
      ...options,
    },
    {},
    { serviceName: 'backend-flask' },
  );
  expect(problems).toEqual([]);
  const warnings: string[] = [];
  const diagnostics = createDiagnostics('cwlogs', { sink: (_l, m) => warnings.push(m) });
  const backend = createCloudWatchLogs(config, { diagnostics, ...(clock ? { clock } : {}) });
  backends.push(backend);
  return { backend, observed, warnings };
}

const puts = () => local.requests({ backend: 'cwlogs' }).filter((r) => r.operation === 'PutLogEvents');

describe('end to end against @sightline/local', () => {
  it('creates the missing group (with retention) and stream, then delivers every event in order', async () => {
    const { backend, observed } = realBackend({ retentionInDays: 30 });
    const logger = backend.createLogger({ serviceName: 'backend-flask' });
    for (let i = 0; i < 500; i++) logger.info('event %d', i, { i });
    const report = await backend.flush();
    expect(report).toEqual({ sent: 500, dropped: {}, pending: 0 });
    const events = local.logEvents({ group: 'cruddur', stream: 'backend' });
    expect(events.map((e) => (JSON.parse(e.message) as { i: number }).i)).toEqual(
      Array.from({ length: 500 }, (_, i) => i),
    );
    expect(local.logGroups()).toEqual([{ name: 'cruddur', retentionInDays: 30, streams: ['backend'] }]);
    expect(observed.log.map((c) => c.op)).not.toContain('DescribeLogStreams');
    expect(
      local.rejections({ backend: 'cwlogs' }).filter((r) => r.reason !== 'ResourceNotFoundException'),
    ).toEqual([]);
  });

  it('rides out a throttling burst and 5xx faults, counting each fault exactly', async () => {
    const { backend } = realBackend({ maxBatchEvents: 100 });
    local.faults.cwlogs.throttleNext(4).failNext(3, 503);
    for (let i = 0; i < 1000; i++) backend.put({ message: `m${i}` });
    expect(await backend.flush()).toEqual({ sent: 1000, dropped: {}, pending: 0 });
    const outcomes = local.requests({ backend: 'cwlogs' }).map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'throttled')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'fault')).toHaveLength(3);
    const stored = local.logEvents({ group: 'cruddur' }).map((e) => e.message);
    expect(new Set(stored).size).toBe(1000);
    expect(stored).toHaveLength(1000);
    expect(puts().filter((r) => r.outcome === 'ok')).toHaveLength(10);
  });

  it('keeps events through minutes of refused connections (manual clock) and delivers them when the port reopens', async () => {
    const clock = new ManualClock();
    const { backend, observed } = realBackend({ retryBaseDelayMs: 1_000, retryMaxDelayMs: 30_000 }, clock);
    backend.put({ message: 'before' });
    await backend.flush();
    await local.faults.cwlogs.refuseConnections();
    for (let i = 0; i < 50; i++) backend.put({ message: `during-${i}` });
    const idle = () => local.waitFor(() => observed.inFlight() === 0, { timeoutMs: 5_000 });
    for (let t = 0; t < 5 * 60; t += 5) {
      clock.advance(5_000);
      await new Promise((r) => setImmediate(r));
      await idle();
    }
    const refusedPuts = observed.log.filter((c) => c.op === 'PutLogEvents' && !c.ok).length;
    // Backoff doubles up to 30 s: about a dozen attempts in 5 minutes, not 300.
    expect(refusedPuts).toBeGreaterThan(3);
    expect(refusedPuts).toBeLessThan(20);
    expect(backend.stats()).toMatchObject({ sent: 1, pending: 50, dropped: {} });
    await local.faults.cwlogs.acceptConnections();
    clock.advance(30_000);
    await local.waitFor(() => backend.stats().pending === 0, { timeoutMs: 5_000 });
    expect(backend.stats()).toEqual({ sent: 51, dropped: {}, pending: 0 });
    expect(local.logEvents({ group: 'cruddur' })).toHaveLength(51);
  });

  it('turns partial rejections into exact drop counts (retention-expired prefix, clock-skewed too-new suffix)', async () => {
    // A group created elsewhere with 1-day retention: events two days old are "expired".
    const pre = realBackend({ logGroupName: 'short', retentionInDays: 1 });
    pre.backend.put({ message: 'seed' });
    await pre.backend.flush();
    const skewed = new ManualClock(Date.now() + 3 * 3600_000); // this host's clock runs 3 h ahead
    const { backend } = realBackend({ logGroupName: 'short' }, skewed);
    const twoDaysAgo = skewed.now() - 2 * 86_400_000 - 3 * 3600_000;
    for (let i = 0; i < 3; i++) backend.put({ message: `old-${i}`, timestamp: twoDaysAgo + i });
    for (let i = 0; i < 4; i++) backend.put({ message: `ahead-${i}` });
    backend.put({ message: 'fine', timestamp: Date.now() });
    expect(await backend.flush()).toEqual({ sent: 1, dropped: { expired: 3, too_new: 4 }, pending: 0 });
    expect(local.logEvents({ group: 'short' }).map((e) => e.message)).toEqual(['seed', 'fine']);
  });

  it('re-creates a stream missing at send time and sends several streams and groups', async () => {
    const { backend } = realBackend();
    backend.put({ message: 'a' });
    backend.put({ message: 'b', stream: 'other' });
    backend.put({ message: 'c', group: 'audit', stream: 'x' });
    expect(await backend.flush()).toEqual({ sent: 3, dropped: {}, pending: 0 });
    const names = local
      .logGroups()
      .map((g) => `${g.name}:${g.streams.sort().join(',')}`)
      .sort();
    expect(names).toEqual(['audit:x', 'cruddur:backend,other']);
  });

  it('splits oversize events so a 256 KB-limited service accepts every part', async () => {
    await local.close();
    local = await startLocal({ maxEventBytes: 262_144 });
    const { backend } = realBackend();
    const big = 'é'.repeat(300_000);
    backend.put({ message: big });
    const report = await backend.flush();
    expect(report.dropped).toEqual({});
    const parts = local.logEvents({ group: 'cruddur' }).map((e) => e.message);
    expect(parts.length).toBe(report.sent);
    expect(parts.map((p, i) => p.replace(` …[part ${i + 1}/${parts.length}]`, '')).join('')).toBe(big);
  });

  it('reports refused credentials once and counts the events as unauthorized', async () => {
    const inner = createAwsSender({
      endpoint: local.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS,
      region: local.env.AWS_REGION,
      credentials: { accessKeyId: '', secretAccessKey: '' },
      maxAttempts: 1,
    });
    const { backend, warnings } = realBackend({ sender: inner });
    backend.put({ message: 'a' });
    backend.put({ message: 'b' });
    const report = await backend.flush();
    expect(report.sent).toBe(0);
    expect(report.dropped).toEqual({ unauthorized: 2 });
    expect(warnings.filter((w) => w.includes('credentials'))).toHaveLength(1);
  });
});
