import type { BackendLifecycle, BackendReport } from '@sightline/core';
import { Deadline } from '@sightline/core';
import type { BackendOutcome, ShutdownReport, StatsReport } from './types';

export const BACKEND_NAMES = ['tracing', 'xray', 'cwlogs', 'errors'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type ActiveBackends = Partial<Record<BackendName, BackendLifecycle>>;

const EMPTY: BackendReport = { sent: 0, dropped: {}, pending: 0 };

/**
 * Runs `flush` or `shutdown` on every active backend in parallel under one deadline. A backend that
 * does not finish in time is reported as `timeout` with its last known counters; nothing rejects.
 */
export async function runAll(
  backends: ActiveBackends,
  action: 'forceFlush' | 'shutdown',
  timeoutMs: number,
): Promise<ShutdownReport> {
  const started = Date.now();
  const deadline = new Deadline(timeoutMs);
  const entries = await Promise.all(
    BACKEND_NAMES.map(async (name): Promise<[BackendName, BackendOutcome]> => {
      const backend = backends[name];
      if (!backend) return [name, { status: 'off', ...EMPTY }];
      const outcome = await deadline.race(
        Promise.resolve().then(() => backend[action](deadline.remainingMs())),
      );
      if (outcome.status === 'done') return [name, { status: 'ok', ...outcome.value }];
      const last = safeStats(backend);
      return [name, { status: 'timeout', ...last }];
    }),
  );
  return {
    durationMs: Date.now() - started,
    backends: Object.fromEntries(entries) as ShutdownReport['backends'],
  };
}

export function collectStats(backends: ActiveBackends): StatsReport {
  return Object.fromEntries(
    BACKEND_NAMES.map((name) => {
      const backend = backends[name];
      return [name, { enabled: backend !== undefined, ...(backend ? safeStats(backend) : EMPTY) }];
    }),
  ) as StatsReport;
}

function safeStats(backend: BackendLifecycle): BackendReport {
  try {
    return backend.stats();
  } catch {
    return EMPTY;
  }
}
