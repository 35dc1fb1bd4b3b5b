import { randomUUID } from 'node:crypto';
import {
  type BackendReport,
  DropCounter,
  diagnostics,
  maskSecret,
  onProcessExit,
  redactUrl,
  redactValue,
  runOnce,
  settleWithin,
} from '@sightline/core';
import {
  activeOtelSpan,
  buildLinks,
  cleanCorrelation,
  correlationOfSpan,
  type SpanLike,
} from './correlation';
import {
  disabledReporter,
  type ErrorsBackend,
  type ReporterInternals,
  withRollbarScrubbing,
} from './errorsBackend';
import { createHttpTransport } from './httpTransport';
import { finalizeItemData, type ItemAdditions, serializeItem } from './payload';
import { installProcessCapture } from './processCapture';
import { toRollbarRequest } from './requestContext';
import { createRollbarBuilder, type ItemBuilder } from './rollbarBuilder';
import { ItemSender } from './sender';
import { toReportableError } from './throwable';
import {
  type Correlation,
  type ErrorsHooks,
  type ReportContext,
  type ResolvedErrorsConfig,
  ROLLBAR_LEVELS,
  type RollbarLevel,
} from './types';

const LEVELS: ReadonlySet<string> = new Set(ROLLBAR_LEVELS);
// Reasons the sender does not already explain with a message of its own.
const ANNOUNCED = new Set([
  'queue_full',
  'rate_limited',
  'too_large',
  'invalid',
  'after_shutdown',
  'shutdown_timeout',
]);

export function createErrorReporter(
  config: ResolvedErrorsConfig,
  hooks: ErrorsHooks = {},
  internals: ReporterInternals = {},
): ErrorsBackend {
  if (!config.enabled || config.accessToken === undefined) return disabledReporter(config);
  return new RollbarReporter({ ...config, redaction: withRollbarScrubbing(config) }, hooks, internals);
}

class RollbarReporter implements ErrorsBackend {
  readonly name = 'errors' as const;
  readonly enabled = true;
  private readonly diag = diagnostics('errors');
  private readonly drops = new DropCounter((reason, n) => {
    if (ANNOUNCED.has(reason))
      this.diag.warn(`dropped ${n} Rollbar item(s): ${reason} (further drops are counted in stats())`);
  });
  private readonly builder: ItemBuilder;
  private readonly sender: ItemSender;
  private building = 0;
  private buildWaiters: (() => void)[] = [];
  private stopped = false;
  private abandoned = false;
  private windowStart = 0;
  private windowCount = 0;
  private uninstallCapture: (() => void) | undefined;
  /**
   * At process `exit` no later turn runs, so an item still being built, queued or in flight will not
   * be delivered: counted in a warning (stderr by default), as CloudWatch Logs counts its unsent events.
   */
  private readonly stopAtExit = onProcessExit(() => {
    const n = this.building + this.sender.pending;
    if (n > 0) this.diag.warn(`${n} Rollbar item(s) were not delivered before the process exited`);
  });

  constructor(
    private readonly config: ResolvedErrorsConfig,
    private readonly hooks: ErrorsHooks,
    internals: ReporterInternals,
  ) {
    // Callable detached (`const { report } = errors`), as handlers often pass them around.
    this.report = this.report.bind(this);
    this.message = this.message.bind(this);
    this.builder = internals.builder ?? createRollbarBuilder(config);
    this.sender = new ItemSender({
      transport:
        internals.transport ??
        createHttpTransport(config.endpoint, config.accessToken!, config.requestTimeoutMs),
      drops: this.drops,
      diag: this.diag,
      maxQueueSize: config.maxQueueSize,
      maxRetries: config.maxRetries,
      retryBaseMs: internals.retryBaseMs,
    });
  }

  describe(): string {
    const c = this.config;
    const parts = [
      `environment=${c.environment}`,
      `token=${maskSecret(c.accessToken)}`,
      c.codeVersion ? `code_version=${c.codeVersion}` : undefined,
      `items/min=${c.itemsPerMinute}`,
      `process capture=${c.captureProcessErrors ? 'on' : 'off'}`,
    ].filter(Boolean);
    // A proxy URL may carry credentials (`https://user:pass@proxy/…`): never print them.
    return `errors: Rollbar → ${redactUrl(c.endpoint, c.redaction)} (${parts.join(', ')})`;
  }

  report(error: unknown, context: ReportContext = {}): string | undefined {
    try {
      const ctx = typeof context === 'object' && context !== null ? context : {};
      const level = LEVELS.has(ctx.level as string)
        ? (ctx.level as RollbarLevel)
        : (ctx.level as string) === 'warn'
          ? 'warning'
          : 'error';
      const { error: err, thrown } = toReportableError(
        error,
        this.config.redaction,
        RollbarReporter.prototype.report,
      );
      const extra: Record<string, unknown> = { ...asRecord(ctx.extra) };
      if (thrown !== undefined) extra.thrown_value = thrown;
      return this.submit(level, err, extra, ctx);
    } catch (e) {
      this.diag.debug(`report failed: ${String(e)}`);
      return undefined;
    }
  }

  message(text: string, level?: RollbarLevel, extra?: Readonly<Record<string, unknown>>): string | undefined {
    try {
      const lvl = LEVELS.has(level as string)
        ? (level as RollbarLevel)
        : (level as string) === 'warn'
          ? 'warning'
          : 'info';
      const body = typeof text === 'string' && text !== '' ? text : String(text);
      return this.submit(lvl, body, { ...asRecord(extra) }, {});
    } catch (e) {
      this.diag.debug(`message failed: ${String(e)}`);
      return undefined;
    }
  }

  private submit(
    level: RollbarLevel,
    subject: Error | string,
    extra: Record<string, unknown>,
    ctx: ReportContext,
  ): string | undefined {
    if (this.stopped) {
      this.drops.add('after_shutdown');
      return undefined;
    }
    // Items being built count against the same bound as those waiting to be sent.
    if (this.building + this.sender.pending >= this.config.maxQueueSize) {
      this.drops.add('queue_full');
      return undefined;
    }
    if (!this.takeRateSlot()) {
      this.drops.add('rate_limited');
      return undefined;
    }
    const { correlation, span } = this.correlation();
    const custom: Record<string, unknown> = {
      ...(redactValue(extra, this.config.redaction) as Record<string, unknown>),
      ...correlation,
      ...buildLinks(this.config.links, this.config.environment, correlation),
    };
    const request = toRollbarRequest(ctx.request, this.config.redaction, this.config);
    const person = ctx.user ? { ...ctx.user } : undefined;
    // Our own uuid, known at once (for the caller, the span and the segment); Rollbar's is replaced
    // by it in the final payload. Building (stack parsing, scrubbing, serializing: milliseconds) runs
    // on the next turn of the loop, off the request path; everything it needs is copied above.
    const uuid = randomUUID();
    this.building++;
    setImmediate(() => {
      if (this.abandoned) return; // counted as shutdown_timeout already
      this.builder.build(level, subject, request, (data, error) => {
        if (this.abandoned) return;
        this.building--;
        try {
          this.deliver(data, { uuid, custom, person }, error);
        } finally {
          this.notifyBuilt();
        }
      });
    });
    this.announce(uuid, correlation, span);
    return uuid;
  }

  private deliver(data: Record<string, unknown> | undefined, additions: ItemAdditions, error: unknown): void {
    if (!data) {
      this.drops.add('invalid');
      this.diag.debug(`Rollbar did not build an item: ${String(error)}`);
      return;
    }
    const body = serializeItem(finalizeItemData(data, additions, this.config.redaction));
    if (!body) {
      this.drops.add('too_large');
      return;
    }
    this.sender.enqueue(body.json, additions.uuid);
  }

  /** Hooks first (the facade knows both X-Ray and OTel), else the active OTel span. */
  private correlation(): { correlation?: Correlation; span?: SpanLike } {
    const hook = this.hooks.getCorrelation ?? this.config.getCorrelation;
    if (hook) {
      try {
        return { correlation: cleanCorrelation(hook()) };
      } catch {
        return {};
      }
    }
    const span = activeOtelSpan();
    return { correlation: correlationOfSpan(span), span };
  }

  private announce(uuid: string, correlation: Correlation | undefined, span: SpanLike | undefined): void {
    try {
      if (span?.isRecording()) span.setAttribute('rollbar.uuid', uuid);
    } catch {
      // an exotic span implementation must not break reporting
    }
    for (const hook of [this.config.onReported, this.hooks.onReported]) {
      try {
        hook?.(uuid, correlation);
      } catch (e) {
        this.diag.warnOnce('onReported', `onReported hook threw: ${String(e)}`);
      }
    }
  }

  private takeRateSlot(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 60_000 || now < this.windowStart) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    if (this.windowCount >= this.config.itemsPerMinute) return false;
    this.windowCount++;
    return true;
  }

  private notifyBuilt(): void {
    if (this.building > 0) return;
    const waiters = this.buildWaiters;
    this.buildWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when every item is built and delivered (or given up on). */
  private async idle(): Promise<void> {
    while (this.building > 0 || this.sender.pending > 0) {
      if (this.building > 0) await new Promise<void>((resolve) => this.buildWaiters.push(resolve));
      await this.sender.whenIdle();
    }
  }

  async forceFlush(timeoutMs = this.config.flushTimeoutMs): Promise<BackendReport> {
    try {
      await settleWithin(this.idle(), timeoutMs);
    } catch {
      // settleWithin never rejects; belt and braces for the no-reject contract
    }
    return this.stats();
  }

  private readonly shutdownOnce = runOnce(async () => {
    this.stopped = true;
    this.uninstallCapture?.();
    await settleWithin(this.idle(), this.pendingShutdownTimeout);
    this.abandoned = true;
    this.drops.add('shutdown_timeout', this.building);
    this.building = 0;
    this.notifyBuilt();
    this.sender.stop('shutdown_timeout');
    this.stopAtExit();
    return this.stats();
  });
  private pendingShutdownTimeout = 0;

  async shutdown(timeoutMs = this.config.flushTimeoutMs): Promise<BackendReport> {
    this.pendingShutdownTimeout = timeoutMs;
    try {
      return await this.shutdownOnce();
    } catch {
      return this.stats();
    }
  }

  stats(): BackendReport {
    return {
      sent: this.sender.sent,
      dropped: this.drops.snapshot(),
      pending: this.building + this.sender.pending,
    };
  }

  captureProcessErrors(): () => void {
    if (this.stopped) return () => undefined;
    this.uninstallCapture?.();
    const uninstall = installProcessCapture({
      report: (err, level, origin) => {
        this.report(err, { level, extra: { mechanism: origin } });
      },
      flush: (ms) => this.forceFlush(ms),
      timeoutMs: this.config.processFlushTimeoutMs,
      diag: this.diag,
    });
    this.uninstallCapture = uninstall;
    return () => {
      uninstall();
      if (this.uninstallCapture === uninstall) this.uninstallCapture = undefined;
    };
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
