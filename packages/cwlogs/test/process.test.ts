import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Local, startLocal } from '@sightline/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// These fixtures import the built package (dist): `pnpm --filter @sightline/cwlogs run build` first.
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let local: Local;
const children: ChildProcess[] = [];
beforeEach(async () => {
  local = await startLocal();
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await local.close();
});

function run(name: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [fixture(name)], {
    env: { ...process.env, ...local.env, SIGHTLINE_CWLOGS_GROUP: 'exit-test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('process exit', () => {
  it('natural exit: the event loop empties, everything logged is delivered (endpoint from the SDK env chain)', async () => {
    const p = run('logAndExit.mjs', { MODE: 'natural', COUNT: '2500' });
    expect(await p.exited).toBe(0);
    expect(local.logEvents({ group: 'exit-test' })).toHaveLength(2500);
    expect(p.err()).not.toContain('not sent');
  });

  it('natural exit while the service fails: retries keep the process alive long enough to deliver', async () => {
    // 3 SDK attempts fail, then the batcher's own backoff retry (an unref'd timer) succeeds.
    local.faults.cwlogs.failNext(4, 503);
    const p = run('logAndExit.mjs', { MODE: 'natural', COUNT: '10' });
    expect(await p.exited).toBe(0);
    expect(local.logEvents({ group: 'exit-test' })).toHaveLength(10);
    expect(p.err()).not.toContain('not sent');
  });

  it('SIGTERM: a handler calling shutdown delivers everything before exiting', async () => {
    const p = run('logAndExit.mjs', { MODE: 'sigterm', COUNT: '1000' });
    await local.waitFor(() => p.out().includes('ready'), { timeoutMs: 10_000 });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(JSON.parse(p.out().split('\n')[1]!)).toEqual({ sent: 1000, dropped: {}, pending: 0 });
    expect(local.logEvents({ group: 'exit-test' })).toHaveLength(1000);
  });

  it('process.exit(): the number of unsent events goes to stderr', async () => {
    const p = run('logAndExit.mjs', { MODE: 'exit', COUNT: '321' });
    expect(await p.exited).toBe(0);
    expect(p.err()).toContain('321 log event(s) were not sent to CloudWatch Logs before the process exited');
  });

  it('importing the package for its logger alone does not load the AWS SDK', async () => {
    const p = run('loggerOnly.cjs', {});
    expect(await p.exited).toBe(0);
    expect(p.out()).toBe('console only ok\naws-sdk modules loaded: 0\n');
  });
});
