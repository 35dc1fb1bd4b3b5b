import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/sdk-modules-loaded.cjs', import.meta.url));

/** The aws-xray-sdk-core files the built package loaded for one request (child process). */
async function sdkFilesLoaded(sampling: 'local' | 'centralized'): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [fixture, sampling]);
  return stdout.split('\n').filter((line) => line !== '');
}

describe('start-up (built package, child process)', () => {
  it('loads nothing of aws-xray-sdk-core with local sampling rules', async () => {
    expect(await sdkFilesLoaded('local')).toEqual([]);
  });

  it('loads the SDK sampler only when centralized sampling is on', async () => {
    expect(await sdkFilesLoaded('centralized')).toContain('dist/lib/middleware/sampling/default_sampler.js');
  });
});
