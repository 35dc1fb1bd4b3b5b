import type { BackendLifecycle, BackendReport, RedactionPolicy } from '@sightline/core';
import { normalizeFieldName } from '@sightline/core';
import type { ItemTransport } from './httpTransport';
import type { ItemBuilder } from './rollbarBuilder';
import type { ReportContext, ResolvedErrorsConfig, RollbarLevel } from './types';

/** The errors backend: Rollbar items tied to the trace. No method throws or rejects. */
export interface ErrorsBackend extends BackendLifecycle {
  readonly name: 'errors';
  readonly enabled: boolean;
  /** Reports an error (or any thrown value); returns the occurrence uuid, `undefined` when off or dropped. */
  report(error: unknown, context?: ReportContext): string | undefined;
  /** Reports a message (default level `info`); returns the occurrence uuid. */
  message(text: string, level?: RollbarLevel, extra?: Readonly<Record<string, unknown>>): string | undefined;
  /** Opt-in: reports uncaught exceptions and unhandled rejections, flushes, then lets the process go on as it would have. Returns the uninstaller. */
  captureProcessErrors(): () => void;
}

/** Seams for tests: a fake transport or item builder. Not part of the public options. */
export interface ReporterInternals {
  transport?: ItemTransport;
  builder?: ItemBuilder;
  retryBaseMs?: number;
}

export function disabledReporter(config: ResolvedErrorsConfig): ErrorsBackend {
  const report = (): BackendReport => ({ sent: 0, dropped: {}, pending: 0 });
  return {
    name: 'errors',
    enabled: false,
    describe: () => `errors: off (${config.disabledReason ?? 'not configured'})`,
    forceFlush: async () => report(),
    shutdown: async () => report(),
    stats: report,
    report: () => undefined,
    message: () => undefined,
    captureProcessErrors: () => () => undefined,
  };
}

export /** The shared policy plus the extra `scrubFields`/`scrubHeaders`, so they also cover what we add after Rollbar's scrubber. */
function withRollbarScrubbing(config: ResolvedErrorsConfig): RedactionPolicy {
  const p = config.redaction;
  if (config.scrubFields.length === 0 && config.scrubHeaders.length === 0) return p;
  return {
    ...p,
    fieldNames: [...new Set([...p.fieldNames, ...config.scrubFields.map(normalizeFieldName)])],
    headerNames: new Set([...p.headerNames, ...config.scrubHeaders.map((h) => h.toLowerCase())]),
  };
}
