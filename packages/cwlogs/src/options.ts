import type { RedactionPolicy } from '@sightline/core';
import type { LogsSender } from './sender';

/** What happens when the queue is full. */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest';
/** What happens to an event larger than `maxEventBytes`. */
export type OversizePolicy = 'split' | 'truncate';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text';

/** Static AWS credentials (tests, local runs); normally leave unset and let the SDK's chain find them. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Options of `cwlogs` (the `cwlogs` key of `initObservability`). */
export interface CloudWatchLogsOptions {
  /** Log group. Env `SIGHTLINE_CWLOGS_GROUP`. No default: the backend is on only when a group is set. */
  logGroupName?: string;
  /**
   * Stream name template: `{hostname}`, `{pid}`, `{date}` (UTC `YYYY-MM-DD`), `{uuid}`, `{service}`,
   * `{environment}`, `{program}`. Invalid characters (`:` `*`) become `_`.
   * Env `SIGHTLINE_CWLOGS_STREAM`. Default `{service}/{hostname}/{pid}/{uuid}`.
   */
  logStreamName?: string;
  /** Every event is in a `PutLogEvents` request at most this long after it was logged. Env `SIGHTLINE_CWLOGS_SEND_INTERVAL_MS`. Default 60000. */
  sendIntervalMs?: number;
  /** Events per request, 1–10000. Env `SIGHTLINE_CWLOGS_MAX_BATCH_EVENTS`. Default 10000. */
  maxBatchEvents?: number;
  /** Bytes per request (UTF-8 + 26 per event), up to 1048576. Env `SIGHTLINE_CWLOGS_MAX_BATCH_BYTES`. Default 1048576. */
  maxBatchBytes?: number;
  /** Largest event (UTF-8 + 26), 1024–1048576. Env `SIGHTLINE_CWLOGS_MAX_EVENT_BYTES`. Default 262144 (256 KiB). */
  maxEventBytes?: number;
  /** Larger events are split into marked parts or truncated with a marker. Env `SIGHTLINE_CWLOGS_OVERSIZE`. Default `'split'`. */
  oversize?: OversizePolicy;
  /** Events held (queued + in flight). Env `SIGHTLINE_CWLOGS_MAX_QUEUE_EVENTS`. Default 200000. */
  maxQueueEvents?: number;
  /** Bytes held (queued + in flight). Env `SIGHTLINE_CWLOGS_MAX_QUEUE_BYTES`. Default 67108864 (64 MiB). */
  maxQueueBytes?: number;
  /** Which events a full queue drops (counted `queue_full`). Env `SIGHTLINE_CWLOGS_OVERFLOW`. Default `'drop-newest'`. */
  overflow?: OverflowPolicy;
  /** Retention set on a group this backend creates. Env `SIGHTLINE_CWLOGS_RETENTION_DAYS`. Default: none (never expire). */
  retentionInDays?: number;
  /** Tags of a group this backend creates. Default none. */
  tags?: Record<string, string>;
  /** Create a missing group (a missing stream is always created). Env `SIGHTLINE_CWLOGS_CREATE_GROUP`. Default true. */
  createLogGroup?: boolean;
  /** `PutLogEvents` requests in flight at once. Env `SIGHTLINE_CWLOGS_MAX_CONCURRENT_PUTS`. Default 4. */
  maxConcurrentPuts?: number;
  /** First retry delay after a throttle or failure; doubles each time, with jitter. Default 1000. */
  retryBaseDelayMs?: number;
  /** Longest retry delay. Default 30000. */
  retryMaxDelayMs?: number;
  /** A request taking longer is aborted and retried. Default 30000. */
  requestTimeoutMs?: number;
  /** AWS region. Default: the SDK's chain (`AWS_REGION`, profile…). */
  region?: string;
  /** Endpoint URL. Default: the SDK's chain (`AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, `AWS_ENDPOINT_URL`, region default). */
  endpoint?: string;
  /** Static credentials. Default: the SDK's credential chain. */
  credentials?: StaticCredentials;
  /** The SDK's own attempts per request (it retries throttling itself). Default 3. */
  sdkMaxAttempts?: number;
  /** Count of unsent events written to stderr on `process.exit()`; drain on natural exit. Default true. */
  handleExit?: boolean;
  /** Replace the AWS SDK sender (tests, custom transports). Default: the real client, loaded lazily. */
  sender?: LogsSender;
}

/** Logger options (`createLogger(options)`). */
export interface LoggerOptions {
  /** Threshold. Env `SIGHTLINE_LOG_LEVEL_APP` via the facade. Default `'info'`. */
  level?: LogLevel;
  /** `'json'` lines (default) or `'text'`: the message only, as Cruddur's access-log line. */
  format?: LogFormat;
  /** Also write each line to stdout (warn/error to stderr). Default true when there is no batcher, else false. */
  console?: boolean;
  /** Fields added to every line. Default none. */
  bindings?: Record<string, unknown>;
  /** Called on every log call; its fields (e.g. `trace_id`) are added. Default none. */
  contextFields?: () => Record<string, unknown> | undefined;
  /** Applied to fields before anything leaves the process. Default: core's default policy. */
  redaction?: RedactionPolicy;
  /** `service` field of JSON lines. Default the shared service name. */
  serviceName?: string;
  /** Destination override for this logger's events. Default the backend's group and stream. */
  group?: string;
  stream?: string;
}
