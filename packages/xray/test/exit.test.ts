import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/exits-on-its-own.mjs', import.meta.url));

/** Runs the fixture (built package) and resolves with its exit code and output once it exits by itself. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
