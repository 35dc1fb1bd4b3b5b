import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Local, startLocal } from '@sightline/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createXRay, resolveXRayConfig } from '../src/index';
import { type Doc, SAMPLE_ALL } from './helpers';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Runs a fixture (built package) and resolves with its exit code and output once it exits. */
function run(
  args: string[],
  name = 'exits-on-its-own.mjs',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('process exit (built package, child process)', () => {
  it('lets the process exit by itself with an unresolvable daemon host and no shutdown call', async () => {
    const result = await run(['xray-daemon.invalid:2000', 'local']);
    expect(result.stderr).not.toContain('unhandled rejection');
    expect(result).toMatchObject({ code: 0, stdout: 'done\n' });
  });

  it('lets the process exit by itself with centralized sampling polling an absent daemon', async () => {
    const result = await run(['127.0.0.1:9', 'centralized']);
    expect(result.stderr).not.toContain('unhandled rejection');
    expect(result).toMatchObject({ code: 0, stdout: 'done\n' });
  });
});

describe('process.exit() with segments finished in its last turn (built package, child process)', () => {
  let local: Local;
  beforeEach(async () => {
    local = await startLocal();
  });
  afterEach(async () => {
    await local.close();
  });

  it('sends them to the daemon before the process is gone, a segment still waiting for a subsegment too', async () => {
    const result = await run(
      [local.env.AWS_XRAY_DAEMON_ADDRESS, 'connected', '40'],
      'exits-with-segments-queued.mjs',
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const { sent, queued, open } = JSON.parse(result.stdout) as {
      sent: string[];
      queued: string[];
      open: string;
    };
    expect(queued).toHaveLength(41);
    const expected = [...sent, ...queued];
    const stored = await local.waitFor(() => {
      const ids = new Set(local.segments().map((s) => s.id));
      return expected.every((id) => ids.has(id)) ? local.segments() : undefined;
    });
    expect(stored.map((s) => s.id).sort()).toEqual([...expected].sort());
    const openDoc = stored.find((s) => s.id === open)?.document as Doc;
    expect(openDoc.end_time).toBeTypeOf('number');
    expect(openDoc.subsegments).toEqual([expect.objectContaining({ name: 'forever', in_progress: true })]);
  });

  it('says how many could not leave when the process exits before its socket could connect', async () => {
    const result = await run(
      [local.env.AWS_XRAY_DAEMON_ADDRESS, 'first-turn', '5'],
      'exits-with-segments-queued.mjs',
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      '6 X-Ray document(s) were not sent to the daemon before the process exited',
    );
  });
});

describe('the exit listener', () => {
  it('is one for every backend of the process, and gone once the last one shut down', async () => {
    const before = process.listenerCount('exit');
    const { config } = resolveXRayConfig(
      { serviceName: 'listeners', daemonAddress: '127.0.0.1:9', samplingRules: SAMPLE_ALL },
      {},
    );
    const first = createXRay(config);
    const second = createXRay(config);
    expect(process.listenerCount('exit')).toBe(before + 1);
    await first.shutdown(100);
    expect(process.listenerCount('exit')).toBe(before + 1);
    await second.shutdown(100);
    expect(process.listenerCount('exit')).toBe(before);
  });
});
