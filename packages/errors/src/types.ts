import type { IncomingMessage } from 'node:http';
import type { RedactionPolicy } from '@sightline/core';

/** Rollbar's levels, most severe first (item API reference). */
export const ROLLBAR_LEVELS = ['critical', 'error', 'warning', 'info', 'debug'] as const;
export type RollbarLevel = (typeof ROLLBAR_LEVELS)[number];

/** The ids that tie an item to its trace; any of them may be missing outside a request. */
export interface Correlation {
  /** OpenTelemetry / Honeycomb trace id, 32 hex digits. */
  trace_id?: string;
  /** The active span id, 16 hex digits. */
  span_id?: string;
  /** The same trace id in X-Ray form, `1-<8 hex>-<24 hex>`. */
  xray_trace_id?: string;
}

/** Reads the ids of the current request; called synchronously inside `report()`/`message()`. */
export type GetCorrelation = () => Correlation | undefined;

/** Called with the occurrence uuid of every item accepted for delivery (set it on the span, the segment…). */
export type OnReported = (uuid: string, correlation: Correlation | undefined) => void;

/** Hooks the facade (or a user) passes to `createErrorReporter`. */
export interface ErrorsHooks {
  /** Replaces the default correlation lookup (the active OpenTelemetry span). */
  getCorrelation?: GetCorrelation;
  /** Called after the configured `onReported` option. */
  onReported?: OnReported;
}

type HeaderLike = string | number | readonly string[] | undefined;

/**
 * The request an error happened in. A framework-neutral shape; a Node `IncomingMessage` (or an
 * Express / Fastify request) is accepted too and read the same way.
 */
export interface RequestInfo {
  method?: string;
  /** Path and query (`/api/users?page=2`) or an absolute URL. */
  url?: string;
  /** Route template (`/api/users/:id`), used as the item's context. */
  route?: string;
  headers?: Readonly<Record<string, HeaderLike>>;
  /** Parsed query parameters; taken from `url` when absent. */
  query?: Readonly<Record<string, unknown>>;
  /** Request body (parsed object or raw string); cut to `maxBodyBytes`. */
  body?: unknown;
  /** Client address; when absent: `req.ip`, then the first `x-forwarded-for` entry, then the socket. */
  remoteAddress?: string;
}

/** Who was affected, as Rollbar's `person`. */
export interface PersonInfo {
  id: string | number;
  username?: string;
  email?: string;
}

/** What `report()` accepts besides the error. */
export interface ReportContext {
  request?: RequestInfo | IncomingMessage;
  user?: PersonInfo;
  /** Extra data, shown as the item's custom data (redacted). */
  extra?: Readonly<Record<string, unknown>>;
  /** Default `error`. */
  level?: RollbarLevel;
}

/** Link templates: `{placeholder}`s are replaced; a link whose placeholders are not all known is left out. */
export interface LinkOptions {
  /**
   * Honeycomb trace link, or `false` for none. Default
   * `https://ui.honeycomb.io/{team}/environments/{environment}/datasets/{dataset}/trace?trace_id={trace_id}`.
   */
  honeycombTrace?: string | false;
  /**
   * X-Ray console trace link, or `false` for none. Default
   * `https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#xray:traces/{xray_trace_id}`.
   */
  xrayTrace?: string | false;
  /** Honeycomb team slug (`{team}`). Default `SIGHTLINE_HONEYCOMB_TEAM`, else unknown. */
  team?: string;
  /** Honeycomb dataset (`{dataset}`). Default `SIGHTLINE_HONEYCOMB_DATASET`, else the service name. */
  dataset?: string;
  /** AWS region (`{region}`). Default `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  region?: string;
}

/** Options of the Rollbar backend (`errors:` in `initObservability`). */
export interface ErrorsOptions {
  /** Rollbar project access token (`post_server_item`). Default `ROLLBAR_ACCESS_TOKEN`; none turns the backend off. */
  accessToken?: string;
  /** Default `ROLLBAR_ENVIRONMENT`, then the shared environment, then `NODE_ENV`, then `production`. */
  environment?: string;
  /** Default `ROLLBAR_CODE_VERSION`, then the service version. */
  codeVersion?: string;
  /** Project root sent as `server.root`, so Rollbar shows tidy, linkable frames. Default `ROLLBAR_ROOT`, else the working directory. */
  root?: string;
  /** Item API URL, used verbatim. Default `ROLLBAR_ENDPOINT`, else `https://api.rollbar.com/api/1/item/`. */
  endpoint?: string;
  /** Items accepted per minute; past it items are dropped (`rate_limited`). Default `SIGHTLINE_ROLLBAR_ITEMS_PER_MINUTE`, else 60. */
  itemsPerMinute?: number;
  /** Items being built or waiting for delivery at most; newer ones are dropped (`queue_full`). Default 100. */
  maxQueueSize?: number;
  /** Request bodies are cut to this many bytes. Default 8192. */
  maxBodyBytes?: number;
  /** One delivery attempt's limit. Default 5000. */
  requestTimeoutMs?: number;
  /** Retries after a network error, a 5xx or a 429, each after a back-off. Default 3. */
  maxRetries?: number;
  /** Deadline of `forceFlush()`/`shutdown()` when none is given. Default 5000. */
  flushTimeoutMs?: number;
  /** Deadline of the flush after an uncaught exception, before the process goes on as it would have. Default 2000. */
  processFlushTimeoutMs?: number;
  /** Whether the facade installs `captureProcessErrors()`. Default `SIGHTLINE_ROLLBAR_CAPTURE_UNCAUGHT`, else false. */
  captureProcessErrors?: boolean;
  /** Send the client IP. Default true. */
  captureIp?: boolean;
  /** Field names masked by Rollbar's scrubber, added to its defaults. Default none. */
  scrubFields?: readonly string[];
  /** Header names masked by Rollbar's scrubber, added to its defaults. Default none. */
  scrubHeaders?: readonly string[];
  /** Trace links in each item. */
  links?: LinkOptions;
  /** See `ErrorsHooks.getCorrelation`. Default: the active OpenTelemetry span, when `@opentelemetry/api` is installed. */
  getCorrelation?: GetCorrelation;
  /** See `ErrorsHooks.onReported`. Default none. */
  onReported?: OnReported;
}

export interface ResolvedLinks {
  honeycombTrace?: string;
  xrayTrace?: string;
  team?: string;
  dataset?: string;
  region?: string;
}

/** The fully defaulted configuration a reporter is built from. */
export interface ResolvedErrorsConfig {
  readonly enabled: boolean;
  /** Why it is off, for the start-up summary. */
  readonly disabledReason?: string;
  readonly accessToken?: string;
  readonly environment: string;
  readonly codeVersion?: string;
  readonly root?: string;
  readonly endpoint: string;
  readonly itemsPerMinute: number;
  readonly maxQueueSize: number;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly flushTimeoutMs: number;
  readonly processFlushTimeoutMs: number;
  readonly captureProcessErrors: boolean;
  readonly captureIp: boolean;
  readonly scrubFields: readonly string[];
  readonly scrubHeaders: readonly string[];
  readonly links: ResolvedLinks;
  readonly serviceName?: string;
  readonly redaction: RedactionPolicy;
  readonly getCorrelation?: GetCorrelation;
  readonly onReported?: OnReported;
}
