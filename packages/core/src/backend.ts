import type { BackendReport } from './drops';
import type { EnvWarning } from './env';
import type { ConfigProblem } from './problems';
import type { RedactionPolicy } from './redact';

/** Settings every backend shares, resolved once by the facade and handed to each backend's resolver. */
export interface SharedSettings {
  /** Service name (`OTEL_SERVICE_NAME` or option). */
  serviceName?: string;
  /** Service version (option, `OTEL_SERVICE_VERSION` / `npm_package_version`). */
  serviceVersion?: string;
  /** Deployment environment (`production`, `staging`…). */
  environment?: string;
  /** The one redaction policy for every sink. */
  redaction?: RedactionPolicy;
}

/** What a backend's `resolve…Config(options, env, shared)` returns: pure, never throws. */
export interface Resolution<T> {
  config: T;
  /** Invalid explicit options: the facade throws one `SightlineConfigError` with all of them. */
  problems: ConfigProblem[];
  /** Invalid environment values: warned once each, defaults used. */
  warnings: EnvWarning[];
}

/**
 * The lifecycle every backend exposes to the facade. None of these methods rejects or throws.
 */
export interface BackendLifecycle {
  /** Short backend name: `tracing`, `xray`, `cwlogs`, `errors`. */
  readonly name: string;
  /** One line for the start-up summary (where data goes, sampling, batching), secrets masked. */
  describe(): string;
  /** Sends what is queued; resolves when done or when `timeoutMs` passes. */
  forceFlush(timeoutMs?: number): Promise<BackendReport>;
  /** Flushes and stops under the deadline; idempotent. */
  shutdown(timeoutMs?: number): Promise<BackendReport>;
  /** Live counters. */
  stats(): BackendReport;
}
