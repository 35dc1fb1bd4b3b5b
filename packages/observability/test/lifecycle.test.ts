import { startLocal } from '@sightline/local';
import { describe, expect, it } from 'vitest';
import { startFixture } from './childProcess';

// These run the built package in child processes: signals and exit cannot be faked in-process.
describe('signal handling (child processes)', () => {
  it('flushes on SIGTERM and then exits as the default action would (killed by SIGTERM)', async () => {
    const f = startFixture('signal-default.mjs');
    await f.waitForOutput('ready');
    expect(f.output().stdout).toContain('listeners=1');
    f.child.kill('SIGTERM');
    const result = await f.exited;
    expect(result.signal).toBe('SIGTERM');
    expect(result.code).toBeNull();
  });

  it('leaves exit to an application that listens for SIGTERM itself', async () => {
    const f = startFixture('signal-app-listener.mjs');
    await f.waitForOutput('ready');
    f.child.kill('SIGTERM');
    const result = await f.exited;
    expect(result.stdout).toContain('app-listener-ran');
    expect(result.stdout).toContain('sightline-listeners-during=1 after=0');
    expect(result.code).toBe(7);
    expect(result.signal).toBeNull();
  });

  it('removes every listener it added on shutdown, and shutdown is idempotent', async () => {
    const f = startFixture('shutdown-removes-listeners.mjs');
    const result = await f.exited;
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout.trim()) as {
      before: number[];
      during: number[];
      after: number[];
      same: boolean;
      statuses: string[];
    };
    expect(out.during).toEqual(out.before.map((n) => n + 1));
    expect(out.after).toEqual(out.before);
    expect(out.same).toBe(true);
    expect(out.statuses).toEqual(['off', 'off', 'off', 'off']);
  });

  /** The fixture's one request, answered; then the process exits in the turn its response closed. */
  async function exitAfterOneResponse(env: Record<string, string> = {}) {
    const f = startFixture('exit-after-response.mjs', {
      SIGHTLINE_CWLOGS_GROUP: 'exit-test',
      // Nothing listens there: the process exits before any send could be answered anyway.
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://127.0.0.1:9',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret-for-tests',
      ...env,
    });
    await f.waitForOutput('ready ');
    const port = /ready (\d+)/.exec(f.output().stdout)?.[1];
    await fetch(`http://127.0.0.1:${port}/`)
      .then((r) => r.text())
      .catch(() => undefined);
    return f.exited;
  }

  it('process.exit() in the turn a response closed: its access-log line is counted among the unsent', async () => {
    const result = await exitAfterOneResponse();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      '[sightline:cwlogs] warn: 1 log event(s) were not sent to CloudWatch Logs before the process exited',
    );
  });

  it('the exit count is a Sightline diagnostic: SIGHTLINE_LOG_LEVEL=none silences it', async () => {
    const result = await exitAfterOneResponse({ SIGHTLINE_LOG_LEVEL: 'none' });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('not sent');
  });

  it('process.exit() in the turn a response closed: its X-Ray segment still reaches the daemon', async () => {
    const local = await startLocal();
    try {
      const f = startFixture('exit-after-responses-xray.mjs', {
        AWS_XRAY_DAEMON_ADDRESS: local.env.AWS_XRAY_DAEMON_ADDRESS,
        OTEL_SERVICE_NAME: 'exit-test',
      });
      await f.waitForOutput('ready ');
      const port = /ready (\d+)/.exec(f.output().stdout)?.[1];
      const first = await fetch(`http://127.0.0.1:${port}/first`);
      const firstTrace = first.headers.get('x-amzn-trace-id');
      await first.text();
      const last = await fetch(`http://127.0.0.1:${port}/last`)
        .then(async (r) => ({ trace: r.headers.get('x-amzn-trace-id'), body: await r.text() }))
        .catch(() => undefined);
      const result = await f.exited;
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(last?.body).toBe('ok');
      const segments = await local.waitFor(() =>
        local.segments().length >= 2 ? local.segments() : undefined,
      );
      expect(
        segments.map((s) => (s.document.http as { request: { url: string } }).request.url).sort(),
      ).toEqual([`http://127.0.0.1:${port}/first`, `http://127.0.0.1:${port}/last`]);
      expect(segments.map((s) => `Root=${s.traceId};Sampled=1`).sort()).toEqual(
        [firstTrace, last?.trace].sort(),
      );
    } finally {
      await local.close();
    }
  });

  it('SIGTERM with SIGHTLINE_HANDLE_SIGNALS=false is left entirely to Node', async () => {
    const f = startFixture('signal-default.mjs', { SIGHTLINE_HANDLE_SIGNALS: 'false' });
    await f.waitForOutput('ready');
    expect(f.output().stdout).toContain('listeners=0');
    f.child.kill('SIGTERM');
    const result = await f.exited;
    expect(result.signal).toBe('SIGTERM');
  });
});
