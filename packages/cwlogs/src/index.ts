export type { AwsSenderOptions } from './awsSender';
export { createAwsSender } from './awsSender';
export type { BackendInternals, CloudWatchLogsBackend } from './backend';
export { createCloudWatchLogs } from './backend';
export type { LogEventInput } from './batcher';
export type { Clock } from './clock';
export { accessLogTimestamp, formatMessage } from './format';
export {
  EVENT_OVERHEAD_BYTES,
  MAX_EVENT_BYTES,
  MAX_REQUEST_BYTES,
  MAX_REQUEST_EVENTS,
  MAX_REQUEST_SPAN_MS,
} from './limits';
export type { Logger, LogRecord, LogSink } from './logger';
export { createLogger, LOG_LEVELS } from './logger';
export type {
  CloudWatchLogsOptions,
  LogFormat,
  LoggerOptions,
  LogLevel,
  OverflowPolicy,
  OversizePolicy,
  StaticCredentials,
} from './options';
export { splitMessage, truncateMessage } from './oversize';
export type { ResolvedCloudWatchLogsConfig } from './resolveConfig';
export { CWLOGS_DEFAULTS, resolveCloudWatchLogsConfig } from './resolveConfig';
export type {
  InputLogEvent,
  LogsSender,
  PutLogEventsResult,
  RejectedLogEventsInfo,
  SendOptions,
} from './sender';
export { DEFAULT_STREAM_TEMPLATE, renderStreamName } from './streamName';
export const PACKAGE_NAME = '@sightline/cwlogs';
