import type { DiagnosticsLevel, RedactionOptions } from '@sightline/core';
import type { CloudWatchLogsOptions } from '@sightline/cwlogs/config';
import type { ErrorsOptions } from '@sightline/errors/config';
import type { TracingOptions } from '@sightline/tracing/config';
import type { XRayOptions } from '@sightline/xray/config';

/** Access-log line written when a response finishes. */
export interface AccessLogOptions {
  /**
   * `json` (default): one structured event with method, route, path, status, duration and client ip.
   * `cruddur`: the Cruddur service's text line, `[2026-Nov-27 19:45] 127.0.0.1 GET http /path 200 OK`.
   * `false`: no access log.
   */
  format?: 'json' | 'cruddur' | false;
}

/** The application logger (`obs.logger`). */
export interface LoggerOptions {
  /** Lowest level written. Env `SIGHTLINE_LOG_LEVEL_APP`, then `LOG_LEVEL`. Default `info`. */
  level?: 'debug' | 'info' | 'warn' | 'error';
  /** Also print every line to stdout, like the Python service's console handler. Default `true` when CloudWatch Logs is off, else `false`. */
  console?: boolean;
  /** Line format for CloudWatch and the console. Default `json`. */
  format?: 'json' | 'text';
}

/** Options of `initObservability`. Every option beats its environment variable; see docs/configuration.md. */
export interface ObservabilityOptions {
  /** Service name on every span, segment, log event and item. Env `OTEL_SERVICE_NAME`. Default `unknown_service:node`. */
  serviceName?: string;
  /** Service version. Env `OTEL_SERVICE_VERSION`, then `npm_package_version`. Default unset. */
  serviceVersion?: string;
  /** Deployment environment. Env `SIGHTLINE_ENVIRONMENT`, then `NODE_ENV`. Default `production`. */
  environment?: string;
  /** Turns every backend into a no-op. Env `SIGHTLINE_DISABLED`; `SIGHTLINE_DISABLED=true` beats every other setting, this option included. Default `false`. */
  disabled?: boolean;
  /** Level of Sightline's own diagnostics on stderr. Env `SIGHTLINE_LOG_LEVEL`. Default `warn`. */
  diagnosticsLevel?: DiagnosticsLevel;
  /** Extra header names, field names and patterns masked in all four sinks (added to the defaults). */
  redaction?: RedactionOptions;
  /** Flush on SIGTERM / SIGINT / beforeExit. Env `SIGHTLINE_HANDLE_SIGNALS`. Default `true`. */
  handleSignals?: boolean;
  /** Deadline of the shutdown triggered by a signal, in ms. Env `SIGHTLINE_SHUTDOWN_TIMEOUT_MS`. Default `5000`. */
  shutdownTimeoutMs?: number;
  /** Print the start-up summary (one line per backend) on stderr. Env `SIGHTLINE_SUMMARY`. Default `true`. */
  printSummary?: boolean;
  /** Application logger. */
  logger?: LoggerOptions;
  /** Access-log line per request (adapters). */
  accessLog?: AccessLogOptions;
  /** Traces to Honeycomb or any OTLP collector (`@sightline/tracing`); `false` turns it off. See docs/tracing.md. */
  tracing?: TracingOptions | false;
  /** X-Ray segments (`@sightline/xray`); `false` turns it off. See docs/xray.md. */
  xray?: XRayOptions | false;
  /** CloudWatch Logs (`@sightline/cwlogs`); `false` turns it off. See docs/cwlogs.md. */
  cwlogs?: CloudWatchLogsOptions | false;
  /** Rollbar (`@sightline/errors`); `false` turns it off. See docs/errors.md. */
  errors?: ErrorsOptions | false;
}
