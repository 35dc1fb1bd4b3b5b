import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type BackendLifecycle,
  configureDiagnostics,
  diagnostics,
  type Env,
  runOnce,
  SightlineConfigError,
} from '@sightline/core';
import { createExpressMiddleware, type ExpressMiddleware } from './adapters/express';
import { createFastifyPlugin, type FastifyPlugin } from './adapters/fastify';
import { type HttpHandler, wrapHttpHandler } from './adapters/http';
import {
  loadCwlogsModule,
  startCwlogsBackend,
  startErrorsBackend,
  startTracingBackend,
  startXRayBackend,
} from './backends';
import { installExitHandlers } from './exitHandlers';
import { getRegistered, setRegistered } from './global';
import { type ActiveBackends, BACKEND_NAMES, type BackendName, collectStats, runAll } from './lifecycle';
import type { ObservabilityOptions } from './options';
import { queuedAccessLines, writeQueuedAccessLines } from './request';
import { type ResolvedConfig, resolveConfig } from './resolveAll';
import { currentTraceIds, logContextFields, type Runtime } from './runtime';
import { runSpan, runSubsegment } from './spans';
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
  readonly config: ResolvedConfig;
  /** The application logger: CloudWatch Logs when on (and the console when asked), stdout otherwise. */
  readonly logger: Logger;
  /** Rollbar reporting; cheap no-ops when the backend is off. */
  readonly errors: ErrorsApi;
  /** Runs `fn` inside an OTel span and an X-Ray subsegment of the same name, nested and ended together. */
  span<T>(name: string, fn: (span: SpanHandle) => T, options?: SpanOptions): T;
  /** An X-Ray subsegment only (no OTel span). */
  subsegment<T>(name: string, fn: (segment: SpanHandle) => T, options?: SpanOptions): T;
  /** Wraps a whole handler in `span(name, …)` (the Python SDK's `@xray_recorder.capture`). */
  capture<A extends unknown[], R>(name: string, handler: (...args: A) => R): (...args: A) => R;
  /** Express 5 middleware; install it first with `app.use(obs.express())`. */
  express(): ExpressMiddleware;
  /** Fastify 5 plugin: `await app.register(obs.fastify)`. */
  readonly fastify: FastifyPlugin;
  /** Wraps a node:http request handler: `http.createServer(obs.http(handler))`. */
  http<Req extends IncomingMessage, Res extends ServerResponse>(
    handler: HttpHandler<Req, Res>,
  ): HttpHandler<Req, Res>;
  /** The current request's ids, or `undefined` outside any traced request. */
  traceIds(): TraceIds | undefined;
  /** Sends what is queued in every backend, under one deadline (default: `shutdownTimeoutMs`). */
  forceFlush(options?: { timeoutMs?: number }): Promise<ShutdownReport>;
  /** Flushes and stops every backend under one deadline; idempotent; removes the signal listeners. */
  shutdown(options?: { timeoutMs?: number }): Promise<ShutdownReport>;
  /** Live counters per backend. */
  stats(): StatsReport;
}

/** The handle started by the register entry (or by `initObservability`), if any. */
export function getObservability(): Observability | undefined {
  return getRegistered();
}

/**
 * Wires every configured backend from one configuration (options > environment > defaults).
 * Throws `SightlineConfigError` for invalid explicit options (all problems listed at once); never
 * throws for the environment or for a backend that cannot start or be reached.
 */
export function initObservability(options: ObservabilityOptions = {}, env: Env = process.env): Observability {
  const registered = getRegistered();
  if (registered) {
    diag.warnOnce(
      'registered',
      'already started by @sightline/observability/register; these options are ignored',
    );
    return registered;
  }
  const { config, problems, warnings } = resolveConfig(options, env);
  if (problems.length > 0) throw new SightlineConfigError(problems);
  const common = config.common;
  configureDiagnostics({ level: common.diagnosticsLevel });
  for (const w of warnings) diag.warnOnce(`env:${w.variable}`, w.message);

  const backends: ActiveBackends = {};
  const summary = new Map<BackendName, SummaryLine>(
    BACKEND_NAMES.map((backend) => [
      backend,
      {
        backend,
        state: common.disabled ? 'disabled' : 'off',
        detail: common.disabled ? 'SIGHTLINE_DISABLED' : 'not configured',
      },
    ]),
  );
  const rt: Runtime = {
    redaction: common.shared.redaction,
    diag,
    logger: undefined as unknown as Runtime['logger'],
  };
  const mutable = rt as { -readonly [K in keyof Runtime]: Runtime[K] };

  const start = <T extends BackendLifecycle>(
    name: BackendName,
    enabled: boolean,
    create: () => T,
  ): T | undefined => {
    if (common.disabled || !enabled) return undefined;
    try {
      const backend = create();
      backends[name] = backend;
      summary.set(name, { backend: name, state: 'on', detail: backend.describe() });
      return backend;
    } catch (error) {
      // A backend that cannot start is a diagnostic, not a crash: the others still run.
      diag.error(`${name} could not start and is off: ${String(error)}`);
      summary.set(name, { backend: name, state: 'failed', detail: String(error) });
      return undefined;
    }
  };

  // Tracing first: its server spans and http instrumentation must be in place before the application serves requests.
  const tracingStarted = start('tracing', config.tracing.enabled, () => {
    const started = startTracingBackend(config.tracing);
    mutable.tracing = started;
    return started.backend;
  });
  if (!tracingStarted) mutable.tracing = undefined;
  mutable.xray = start('xray', config.xray.enabled, () => startXRayBackend(config.xray));
  mutable.cwlogs = start('cwlogs', config.cwlogs.enabled, () => startCwlogsBackend(config.cwlogs));
  mutable.errors = start('errors', config.errors.enabled, () =>
    startErrorsBackend(config.errors, {
      getCorrelation: () => {
        const ids = currentTraceIds(rt);
        return ids
          ? { trace_id: ids.traceId, span_id: ids.spanId, xray_trace_id: ids.xrayTraceId }
          : undefined;
      },
      onReported: (uuid) => {
        // Each side finds the other: the item's uuid on the span and on the X-Ray segment.
        if (rt.tracing?.backend.active)
          rt.tracing.module.activeRecordingSpan()?.setAttribute('rollbar.uuid', uuid);
        rt.xray?.addAnnotation('rollbar_uuid', uuid);
      },
    }),
  );

  // Opt-in: report uncaught exceptions and unhandled rejections, then let the process behave as it would have.
  const releaseProcessCapture =
    rt.errors && config.errors.captureProcessErrors ? rt.errors.captureProcessErrors() : () => {};

  const loggerOptions = {
    level: common.logger.level,
    format: common.logger.format,
    console: common.logger.console,
    serviceName: common.shared.serviceName,
    redaction: common.shared.redaction,
    contextFields: () => logContextFields(rt),
  };
  mutable.logger = rt.cwlogs
    ? rt.cwlogs.createLogger(loggerOptions)
    : loadCwlogsModule().createLogger(loggerOptions);

  if (common.printSummary) {
    process.stderr.write(`${formatSummary(common.shared.serviceName, [...summary.values()])}\n`);
  }

  let shutdownTimeout = common.shutdownTimeoutMs;
  let removeExitHandlers: () => void = () => {};
  const shutdownOnce = runOnce(async () => {
    removeExitHandlers();
    releaseProcessCapture();
    if (getRegistered() === obs) setRegistered(undefined);
    // Access-log lines still waiting for the end of the turn go to the logger before it is flushed.
    writeQueuedAccessLines();
    return runAll(backends, 'shutdown', shutdownTimeout);
  });
  const hooks = { accessLog: common.accessLog.format };

  const obs: Observability = {
    config,
    logger: rt.logger,
    errors: {
      report: (error, context) => rt.errors?.report(error, context as never),
      message: (text, level, extra) => rt.errors?.message(text, level, extra),
    },
    span: (name, fn, spanOptions) => runSpan(rt, name, fn, spanOptions),
    subsegment: (name, fn, spanOptions) => runSubsegment(rt, name, fn, spanOptions),
    capture: (name, handler) =>
      function captured(this: unknown, ...args) {
        return runSpan(rt, name, () => handler.apply(this, args));
      },
    express: () => createExpressMiddleware(rt, hooks),
    fastify: createFastifyPlugin(rt, hooks),
    http: (handler) => wrapHttpHandler(rt, hooks, handler),
    traceIds: () => currentTraceIds(rt),
    forceFlush: (opts) => {
      writeQueuedAccessLines();
      return runAll(backends, 'forceFlush', opts?.timeoutMs ?? common.shutdownTimeoutMs);
    },
    shutdown: (opts) => {
      shutdownTimeout = opts?.timeoutMs ?? common.shutdownTimeoutMs;
      return shutdownOnce();
    },
    stats: () => withQueuedLines(collectStats(backends)),
  };

  if (common.handleSignals && !common.disabled) {
    removeExitHandlers = installExitHandlers({
      shutdown: () => obs.shutdown(),
      flush: () => obs.forceFlush(),
      hasPending: () => Object.values(obs.stats()).some((s) => s.pending > 0),
      finishTurn: writeQueuedAccessLines,
    });
  }
  return obs;
}

/** Access-log lines waiting for the end of the turn count as pending in CloudWatch Logs, where they go. */
function withQueuedLines(stats: StatsReport): StatsReport {
  const queued = queuedAccessLines();
  if (queued === 0 || !stats.cwlogs.enabled) return stats;
  return { ...stats, cwlogs: { ...stats.cwlogs, pending: stats.cwlogs.pending + queued } };
}
