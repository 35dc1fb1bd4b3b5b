import { type Local, startLocal } from '@sightline/local';
import type { ReporterInternals } from '../src/errorsBackend';
import {
  createErrorReporter,
  type ErrorsBackend,
  type ErrorsOptions,
  resolveErrorsConfig,
} from '../src/index';

/** Obviously fake, and long enough (>= 16) that local masks it as `****0000`. */
export const FAKE_TOKEN = 'fake-rollbar-token-for-tests-0000';

export interface Harness {
  local: Local;
  reporters: ErrorsBackend[];
  reporter(options?: ErrorsOptions, internals?: ReporterInternals): ErrorsBackend;
  close(): Promise<void>;
}

export async function startHarness(localOptions: Parameters<typeof startLocal>[0] = {}): Promise<Harness> {
  const local = await startLocal(localOptions);
  const reporters: ErrorsBackend[] = [];
  return {
    local,
    reporters,
    reporter(options = {}, internals = {}) {
      const { config, problems } = resolveErrorsConfig(
        options,
        { ...local.env, ROLLBAR_ACCESS_TOKEN: FAKE_TOKEN, ROLLBAR_ENVIRONMENT: 'test' },
        { serviceName: 'cruddur-backend', serviceVersion: '1.2.3' },
      );
      if (problems.length > 0) throw new Error(`bad test options: ${JSON.stringify(problems)}`);
      const r = createErrorReporter(config, {}, { retryBaseMs: 20, ...internals });
      reporters.push(r);
      return r;
    },
    async close() {
      await Promise.all(reporters.map((r) => r.shutdown(1000)));
      await local.faults.reset();
      await local.close();
    },
  };
}

/** The one item local stored, once it is there. */
export async function onlyItem(local: Local) {
  const items = await local.waitFor(() => (local.items().length > 0 ? local.items() : undefined));
  return items[0]!;
}

/** Reads `a.b.0.c` out of stored JSON. */
export function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
