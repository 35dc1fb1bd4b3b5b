import { createServer, type Server } from 'node:http';
import type { Local } from '@sightline/local';
import { afterEach, describe, expect, it } from 'vitest';
import { initObservability, type Observability, type StatsReport } from '../src/index';
import { baseUrl, close, listen, startBackends } from './helpers';

let local: Local | undefined;
let obs: Observability | undefined;
let server: Server | undefined;

afterEach(async () => {
  await close(server);
  await obs?.shutdown({ timeoutMs: 2000 });
  await local?.close();
  server = obs = local = undefined;
});

// The access-log line is written to the logger at the end of the event-loop turn in which its
// response closed (with the turn's other lines), not in the response's 'close' itself.
describe('access-log lines wait for the end of the turn', () => {
  it('count as pending in CloudWatch Logs meanwhile, and a shutdown begun in that turn still delivers them with their ids', async () => {
    const started = await startBackends();
    local = started.local;
    const o = initObservability({ serviceName: 'turn-app', xray: false, errors: false }, started.env);
    obs = o;
    let seen: { stats: StatsReport; shutdown: Promise<unknown> } | undefined;
    server = await listen(
      createServer(
        o.http((_req, res) => {
          // Runs right after the response's 'close' was emitted (and the request finished), before the turn ends.
          res.once('close', () =>
            queueMicrotask(() => {
              seen = { stats: o.stats(), shutdown: o.shutdown({ timeoutMs: 2000 }) };
            }),
          );
          res.end('ok');
        }),
      ),
    );
    const res = await fetch(`${baseUrl(server)}/api/turn`);
    expect(res.status).toBe(200);
    await res.text();
    await local.waitFor(() => seen);
    expect(seen?.stats.cwlogs.pending).toBeGreaterThanOrEqual(1);
    const report = (await seen?.shutdown) as { backends: { cwlogs: { dropped: Record<string, number> } } };
    expect(report.backends.cwlogs.dropped).toEqual({});
    const lines = local.logEvents({ group: 'facade-test' }).map((e) => JSON.parse(e.message));
    const line = lines.find((l) => l.message === 'request' && l.http?.path === '/api/turn');
    expect(line).toBeDefined();
    expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(local.spans({ traceId: line.trace_id }).some((s) => s.kindName === 'SERVER')).toBe(true);
  });
});
