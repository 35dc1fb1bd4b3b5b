import { configureDiagnostics, diagnostics, type Env, runOnce, SightlineConfigError } from '@sightline/core';
import { createConsoleLogger } from './consoleLogger';
import { installExitHandlers } from './exitHandlers';
import { type ActiveBackends, BACKEND_NAMES, collectStats, runAll } from './lifecycle';
import type { ObservabilityOptions } from './options';
import { type ResolvedCommonConfig, resolveCommonConfig } from './resolveConfig';
import { formatSummary, type SummaryLine } from './summary';
import type {
  ErrorsApi,
  Logger,
  ShutdownReport,
  SpanHandle,
  SpanOptions,
  StatsReport,
  TraceIds,
} from './types';

const diag = diagnostics('observability');

/** The handle `initObservability` returns. Every method is safe to call whatever is enabled. */
export interface Observability {
  readonly config: ResolvedCommonConfig;
  readonly logger: Logger;
  readonly errors: ErrorsApi;
  /** Runs `fn` inside a span (OTel) and a subsegment (X-Ray) of the same name, nested and ended together. */
  span<T>(name: string, fn: (span: SpanHandle) => T, options?: SpanOptions): T;
  /** Wraps a whole handler in `span(name, …)`. */
  capture<F extends (...args: never[]) => unknown>(name: string, handler: F): F;
  /** The current request's ids, or `undefined` outside any traced request. */
  traceIds(): TraceIds | undefined;
  /** Sends what is queued in every backend, under one deadline (default: `shutdownTimeoutMs`). */
  forceFlush(options?: { timeoutMs?: number }): Promise<ShutdownReport>;
  /** Flushes and stops every backend under one deadline; idempotent; removes the signal listeners. */
  shutdown(options?: { timeoutMs?: number }): Promise<ShutdownReport>;
  /** Live counters per backend. */
  stats(): StatsReport;
}

const NOOP_SPAN: SpanHandle = {
  setAttribute() {},
  addAnnotation() {},
  addMetadata() {},
  recordError() {},
};

/**
 * Wires every configured backend from one configuration (options > environment > defaults).
 * Throws `SightlineConfigError` for invalid explicit options (all problems listed at once);
 * never throws for the environment or for a backend that cannot be reached.
 */
export function initObservability(options: ObservabilityOptions = {}, env: Env = process.env): Observability {
  const { config, problems, warnings } = resolveCommonConfig(options, env);
  if (problems.length > 0) throw new SightlineConfigError(problems);
  configureDiagnostics({ level: config.diagnosticsLevel });
  for (const w of warnings) diag.warnOnce(`env:${w.variable}`, w.message);

  const backends: ActiveBackends = {};
  const summary: SummaryLine[] = BACKEND_NAMES.map((backend) => ({
    backend,
    state: config.disabled ? 'disabled' : 'off',
    detail: config.disabled ? 'SIGHTLINE_DISABLED' : 'not configured',
  }));

  const logger = createConsoleLogger({
    level: config.logger.level,
    serviceName: config.shared.serviceName,
    redaction: config.shared.redaction,
  });

  if (config.printSummary) process.stderr.write(`${formatSummary(config.shared.serviceName, summary)}\n`);

  let removeExitHandlers: () => void = () => {};
  const shutdownOnce = runOnce(async () => {
    removeExitHandlers();
    return runAll(backends, 'shutdown', currentTimeout);
  });
  let currentTimeout = config.shutdownTimeoutMs;

  const obs: Observability = {
    config,
    logger,
    errors: { report: () => undefined, message: () => undefined },
    span: (_name, fn) => fn(NOOP_SPAN),
    capture: (_name, handler) => handler,
    traceIds: () => undefined,
    forceFlush: (opts) => runAll(backends, 'forceFlush', opts?.timeoutMs ?? config.shutdownTimeoutMs),
    shutdown: (opts) => {
      currentTimeout = opts?.timeoutMs ?? config.shutdownTimeoutMs;
      return shutdownOnce();
    },
    stats: () => collectStats(backends),
  };

  if (config.handleSignals && !config.disabled) {
    removeExitHandlers = installExitHandlers({
      shutdown: () => obs.shutdown(),
      flush: () => obs.forceFlush(),
      hasPending: () => Object.values(collectStats(backends)).some((s) => s.pending > 0),
    });
  }
  return obs;
}
