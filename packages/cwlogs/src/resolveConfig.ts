import {
  type Env,
  EnvReader,
  OptionChecker,
  type RedactionPolicy,
  type Resolution,
  type SharedSettings,
} from '@sightline/core';
import {
  LOG_GROUP_NAME,
  MAX_EVENT_BYTES,
  MAX_REQUEST_BYTES,
  MAX_REQUEST_EVENTS,
  RETENTION_DAYS,
} from './limits';
import type { CloudWatchLogsOptions, OverflowPolicy, OversizePolicy, StaticCredentials } from './options';
import type { LogsSender } from './sender';
import { DEFAULT_STREAM_TEMPLATE, unknownPlaceholders } from './streamName';

/** The fully defaulted configuration `createCloudWatchLogs` takes. */
export interface ResolvedCloudWatchLogsConfig {
  enabled: boolean;
  logGroupName: string;
  logStreamName: string;
  sendIntervalMs: number;
  maxBatchEvents: number;
  maxBatchBytes: number;
  maxEventBytes: number;
  oversize: OversizePolicy;
  maxQueueEvents: number;
  maxQueueBytes: number;
  overflow: OverflowPolicy;
  retentionInDays: number | undefined;
  tags: Record<string, string> | undefined;
  createLogGroup: boolean;
  maxConcurrentPuts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  requestTimeoutMs: number;
  region: string | undefined;
  endpoint: string | undefined;
  credentials: StaticCredentials | undefined;
  sdkMaxAttempts: number;
  handleExit: boolean;
  sender: LogsSender | undefined;
  serviceName: string | undefined;
  environment: string | undefined;
  redaction: RedactionPolicy | undefined;
}

export const CWLOGS_DEFAULTS = {
  sendIntervalMs: 60_000,
  maxBatchEvents: MAX_REQUEST_EVENTS,
  maxBatchBytes: MAX_REQUEST_BYTES,
  maxEventBytes: 262_144,
  oversize: 'split',
  maxQueueEvents: 200_000,
  maxQueueBytes: 64 * 1024 * 1024,
  overflow: 'drop-newest',
  createLogGroup: true,
  maxConcurrentPuts: 4,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 30_000,
  requestTimeoutMs: 30_000,
  sdkMaxAttempts: 3,
  handleExit: true,
} as const;

const OVERSIZE: readonly OversizePolicy[] = ['split', 'truncate'];
const OVERFLOW: readonly OverflowPolicy[] = ['drop-newest', 'drop-oldest'];

/**
 * Resolves `cwlogs` options: option > environment > default, pure. On when a log group is set by
 * option or `SIGHTLINE_CWLOGS_GROUP` (and not turned off by `false` / `SIGHTLINE_CWLOGS_ENABLED=false`).
 */
export function resolveCloudWatchLogsConfig(
  options: CloudWatchLogsOptions | false | undefined,
  env: Env,
  shared: SharedSettings = {},
): Resolution<ResolvedCloudWatchLogsConfig> {
  const check = new OptionChecker([], 'cwlogs');
  const e = new EnvReader(env);
  const o: Partial<CloudWatchLogsOptions> = options === false || options === undefined ? {} : options;
  if (options !== undefined && options !== false && (typeof options !== 'object' || options === null)) {
    check.problem('', 'an options object or false', options);
  }
  const int = (name: keyof CloudWatchLogsOptions, min: number, max: number) =>
    check.number(name, o[name], { integer: true, min, max });
  const envInt = (name: string, min: number, max: number) => e.number(name, { integer: true, min, max });

  const group =
    check.string('logGroupName', o.logGroupName, {
      pattern: LOG_GROUP_NAME,
      patternText: '1-512 characters of [.-_/#A-Za-z0-9]',
    }) ?? envGroup(e);
  let template = check.string('logStreamName', o.logStreamName);
  if (template !== undefined && unknownPlaceholders(template).length > 0) {
    template = check.problem(
      'logStreamName',
      `a template using only known placeholders (unknown: ${unknownPlaceholders(template).join(', ')})`,
      template,
    );
  }
  let envTemplate = e.string('SIGHTLINE_CWLOGS_STREAM');
  if (envTemplate !== undefined && unknownPlaceholders(envTemplate).length > 0) {
    e.warnings.push({
      variable: 'SIGHTLINE_CWLOGS_STREAM',
      message: `SIGHTLINE_CWLOGS_STREAM has unknown placeholders; using the default ${JSON.stringify(DEFAULT_STREAM_TEMPLATE)}`,
    });
    envTemplate = undefined;
  }
  let retention = check.number('retentionInDays', o.retentionInDays, { integer: true, min: 1 });
  if (retention !== undefined && !(RETENTION_DAYS as readonly number[]).includes(retention)) {
    retention = check.problem('retentionInDays', `one of ${RETENTION_DAYS.join(', ')}`, retention);
  }
  let envRetention = e.number('SIGHTLINE_CWLOGS_RETENTION_DAYS', { integer: true, min: 1 });
  if (envRetention !== undefined && !(RETENTION_DAYS as readonly number[]).includes(envRetention)) {
    e.warnings.push({
      variable: 'SIGHTLINE_CWLOGS_RETENTION_DAYS',
      message: `SIGHTLINE_CWLOGS_RETENTION_DAYS=${envRetention} is not a CloudWatch retention value; leaving retention unset`,
    });
    envRetention = undefined;
  }
  const D = CWLOGS_DEFAULTS;
  const maxEventBytes =
    int('maxEventBytes', 1024, MAX_EVENT_BYTES) ??
    envInt('SIGHTLINE_CWLOGS_MAX_EVENT_BYTES', 1024, MAX_EVENT_BYTES) ??
    D.maxEventBytes;
  const maxBatchBytes =
    int('maxBatchBytes', 1024, MAX_REQUEST_BYTES) ??
    envInt('SIGHTLINE_CWLOGS_MAX_BATCH_BYTES', 1024, MAX_REQUEST_BYTES) ??
    D.maxBatchBytes;
  const credentials = checkCredentials(check, o.credentials);
  const sender = o.sender === undefined ? undefined : checkSender(check, o.sender);
  const explicitlyOff = e.boolean('SIGHTLINE_CWLOGS_ENABLED') === false;
  const config: ResolvedCloudWatchLogsConfig = {
    enabled: options !== false && group !== undefined && !(options === undefined && explicitlyOff),
    logGroupName: group ?? '',
    logStreamName: template ?? envTemplate ?? DEFAULT_STREAM_TEMPLATE,
    sendIntervalMs:
      int('sendIntervalMs', 100, 3_600_000) ??
      envInt('SIGHTLINE_CWLOGS_SEND_INTERVAL_MS', 100, 3_600_000) ??
      D.sendIntervalMs,
    maxBatchEvents:
      int('maxBatchEvents', 1, MAX_REQUEST_EVENTS) ??
      envInt('SIGHTLINE_CWLOGS_MAX_BATCH_EVENTS', 1, MAX_REQUEST_EVENTS) ??
      D.maxBatchEvents,
    // A batch must hold at least one event of the largest size.
    maxBatchBytes: Math.max(maxBatchBytes, maxEventBytes),
    maxEventBytes,
    oversize:
      check.oneOf('oversize', o.oversize, OVERSIZE) ??
      e.oneOf('SIGHTLINE_CWLOGS_OVERSIZE', OVERSIZE) ??
      D.oversize,
    maxQueueEvents:
      int('maxQueueEvents', 1, 10_000_000) ??
      envInt('SIGHTLINE_CWLOGS_MAX_QUEUE_EVENTS', 1, 10_000_000) ??
      D.maxQueueEvents,
    maxQueueBytes:
      int('maxQueueBytes', 65_536, 2 ** 32) ??
      envInt('SIGHTLINE_CWLOGS_MAX_QUEUE_BYTES', 65_536, 2 ** 32) ??
      D.maxQueueBytes,
    overflow:
      check.oneOf('overflow', o.overflow, OVERFLOW) ??
      e.oneOf('SIGHTLINE_CWLOGS_OVERFLOW', OVERFLOW) ??
      D.overflow,
    retentionInDays: retention ?? envRetention,
    tags: check.stringRecord('tags', o.tags),
    createLogGroup:
      check.boolean('createLogGroup', o.createLogGroup) ??
      e.boolean('SIGHTLINE_CWLOGS_CREATE_GROUP') ??
      D.createLogGroup,
    maxConcurrentPuts:
      int('maxConcurrentPuts', 1, 64) ??
      envInt('SIGHTLINE_CWLOGS_MAX_CONCURRENT_PUTS', 1, 64) ??
      D.maxConcurrentPuts,
    retryBaseDelayMs: int('retryBaseDelayMs', 1, 600_000) ?? D.retryBaseDelayMs,
    retryMaxDelayMs: int('retryMaxDelayMs', 1, 3_600_000) ?? D.retryMaxDelayMs,
    requestTimeoutMs: int('requestTimeoutMs', 100, 600_000) ?? D.requestTimeoutMs,
    region: check.string('region', o.region),
    endpoint: check.url('endpoint', o.endpoint),
    credentials,
    sdkMaxAttempts: int('sdkMaxAttempts', 1, 10) ?? D.sdkMaxAttempts,
    handleExit: check.boolean('handleExit', o.handleExit) ?? D.handleExit,
    sender,
    serviceName: shared.serviceName,
    environment: shared.environment,
    redaction: shared.redaction,
  };
  return { config, problems: check.problems, warnings: e.warnings };
}

function envGroup(e: EnvReader): string | undefined {
  const raw = e.string('SIGHTLINE_CWLOGS_GROUP');
  if (raw === undefined) return undefined;
  if (!LOG_GROUP_NAME.test(raw)) {
    e.warnings.push({
      variable: 'SIGHTLINE_CWLOGS_GROUP',
      message: `SIGHTLINE_CWLOGS_GROUP=${JSON.stringify(raw)} is not a valid log group name; CloudWatch Logs stays off`,
    });
    return undefined;
  }
  return raw;
}

function checkCredentials(check: OptionChecker, value: unknown): StaticCredentials | undefined {
  if (value === undefined) return undefined;
  const c = value as Partial<StaticCredentials>;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof c.accessKeyId !== 'string' ||
    typeof c.secretAccessKey !== 'string'
  ) {
    return check.problem('credentials', 'an object with accessKeyId and secretAccessKey strings', value);
  }
  return c as StaticCredentials;
}

function checkSender(check: OptionChecker, value: unknown): LogsSender | undefined {
  const s = value as Partial<LogsSender>;
  if (typeof value !== 'object' || value === null || typeof s.putLogEvents !== 'function') {
    return check.problem(
      'sender',
      'a LogsSender (putLogEvents, createLogGroup, createLogStream, putRetentionPolicy)',
      value,
    );
  }
  return value as LogsSender;
}
