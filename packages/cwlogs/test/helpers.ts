import { createDiagnostics, type Env } from '@sightline/core';
import { createCloudWatchLogs } from '../src/backend';
import type { CloudWatchLogsOptions } from '../src/options';
import { resolveCloudWatchLogsConfig } from '../src/resolveConfig';
import { FakeSender } from './fakeSender';

/** A backend on a fake sender, with exit hooks off and a fixed jitter. */
export function fakeBackend(options: CloudWatchLogsOptions = {}, env: Env = {}, sender = new FakeSender()) {
  const { config, problems } = resolveCloudWatchLogsConfig(
    { logGroupName: 'app', logStreamName: 'main', handleExit: false, sender, ...options },
    env,
    { serviceName: 'svc' },
  );
  if (problems.length > 0) throw new Error(JSON.stringify(problems));
  const warnings: string[] = [];
  const diagnostics = createDiagnostics('cwlogs', { sink: (_l, m) => warnings.push(m) });
  const backend = createCloudWatchLogs(config, { random: () => 0.5, diagnostics });
  return { backend, sender, warnings };
}

export const msg = (bytes: number, ch = 'x') => ch.repeat(bytes);
