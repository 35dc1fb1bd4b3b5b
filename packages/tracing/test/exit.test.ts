import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/exits-with-spans-ended.mjs', import.meta.url));

/** Runs the fixture with `arg` and returns its exit code and stderr. */
async function exitFixture(arg: string): Promise<{ code: unknown; stderr: string }> {
  const child = spawn(process.execPath, [fixture, arg], {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

describe('process.exit() with spans ended in its last turn (built package, child process)', () => {
  it('counts the spans it could not export on stderr', async () => {
    // Nothing listens there, and nothing is sent anyway: the process exits before any export could.
    const { code, stderr } = await exitFixture('http://127.0.0.1:9');
    expect(code).toBe(0);
    expect(stderr).toBe('[sightline:tracing] warn: 3 span(s) were not exported before the process exited\n');
  });

  it('counts those in an export not answered yet among them, named apart', async () => {
    const { code, stderr } = await exitFixture('unanswered');
    expect(code).toBe(0);
    expect(stderr).toBe(
      '[sightline:tracing] warn: 5 span(s) were not exported before the process exited (3 of them in an export not answered yet)\n',
    );
  });
});
