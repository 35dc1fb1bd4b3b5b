import type { Local } from '@sightline/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from './childProcess';
import { startBackends, xrayId } from './helpers';

let local: Local;
let env: Record<string, string>;

beforeAll(async () => {
  ({ local, env } = await startBackends());
});
afterAll(async () => {
  await local?.close();
});

describe('opt-in capture of uncaught exceptions (child process)', () => {
  it('reports and flushes, then the process exits exactly as it would have', async () => {
    local.clear();
    const f = startFixture('uncaught.mjs', env);
    const result = await f.exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: uncaught in fixture');
    const item = local.items().find((i) => JSON.stringify(i.data.body).includes('uncaught in fixture'));
    expect(item?.data.level).toBe('critical');
  }, 30_000);
});

describe('SIGTERM during load (child process)', () => {
  it('delivers everything the service accepted to all four backends', async () => {
    const service = startFixture('service-under-load.mjs', {
      ...env,
      SIGHTLINE_CWLOGS_GROUP: 'load',
      SIGHTLINE_CWLOGS_SEND_INTERVAL_MS: '60000',
    });
    await service.waitForOutput('ready ');
    const port = /ready (\d+)/.exec(service.output().stdout)?.[1];
    const url = `http://127.0.0.1:${port}/`;

    // Requests keep coming while SIGTERM arrives; count only what the service answered.
    const answered: { i: number; traceId: string }[] = [];
    let stop = false;
    const client = async () => {
      while (!stop) {
        try {
          const res = await fetch(url);
          const header = res.headers.get('x-amzn-trace-id') ?? '';
          answered.push({ i: Number(await res.text()), traceId: /Root=([^;]+)/.exec(header)?.[1] ?? '' });
        } catch {
          return; // the service stopped accepting
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    while (answered.length < 150) await new Promise((r) => setTimeout(r, 5));
    service.child.kill('SIGTERM');
    const exit = await service.exited;
    stop = true;
    await Promise.all(clients);
    expect(exit.code).toBe(0);
    expect(answered.length).toBeGreaterThanOrEqual(150);

    // The send interval is 60 s: everything below arrived because shutdown flushed it.
    const logged = new Set(
      local
        .logEvents({ group: 'load' })
        .map((e) => (JSON.parse(e.message) as { i?: number }).i)
        .filter((i) => i !== undefined),
    );
    const spanTraces = new Set(local.spans({ name: 'work' }).map((s) => xrayId(s.traceId)));
    const segmentTraces = new Set(local.segments().map((s) => s.traceId));
    const messages = new Set(local.items().map((it) => JSON.stringify(it.data.body)));
    for (const { i, traceId } of answered) {
      expect(logged.has(i)).toBe(true);
      expect(spanTraces.has(traceId)).toBe(true);
      expect(segmentTraces.has(traceId)).toBe(true);
      if (i % 10 === 0) expect([...messages].some((m) => m.includes(`sampled request ${i}"`))).toBe(true);
    }
    const report = JSON.parse(/report (.*)/.exec(exit.stdout)?.[1] ?? '{}') as {
      backends: Record<string, { dropped: object; pending: number }>;
    };
    for (const backend of ['tracing', 'xray', 'cwlogs', 'errors']) {
      expect(report.backends[backend]?.pending).toBe(0);
    }
  }, 90_000);
});
