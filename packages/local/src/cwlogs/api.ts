import type { IncomingMessage } from 'node:http';
import type { InjectedFault } from '../faults';
import type { HttpReply } from '../httpServer';
import type { Store } from '../store';
import {
  AwsError,
  awsErrorReply,
  awsJsonReply,
  notFoundGroup,
  notFoundStream,
  validationError,
} from './errors';
import { describeLogGroups, describeLogStreams, filterLogEvents, getLogEvents } from './queries';
import type { LogsState } from './state';
import {
  checkAuthorization,
  classifyEvents,
  RETENTION_DAYS,
  requireGroupName,
  requireStreamName,
  validateBatch,
} from './validate';

const TARGET_PREFIX = 'Logs_20140328.';

export interface CloudWatchContext {
  store: Store;
  state: LogsState;
  region: string;
  /** Largest accepted event (message UTF-8 bytes + 26). */
  maxEventBytes: number;
}

type Params = Record<string, unknown>;
type Operation = (ctx: CloudWatchContext, params: Params) => unknown;

const OPERATIONS: Record<string, Operation> = {
  CreateLogGroup: createLogGroup,
  CreateLogStream: createLogStream,
  PutRetentionPolicy: putRetentionPolicy,
  PutLogEvents: putLogEvents,
  DeleteLogGroup: deleteLogGroup,
  DescribeLogGroups: describeLogGroups,
  DescribeLogStreams: describeLogStreams,
  GetLogEvents: getLogEvents,
  FilterLogEvents: filterLogEvents,
};

/** Handles one CloudWatch Logs JSON 1.1 call (`POST /`, `x-amz-target: Logs_20140328.<Operation>`). */
export function handleCloudWatch(ctx: CloudWatchContext, req: IncomingMessage, body: Buffer): HttpReply {
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith(TARGET_PREFIX)
    ? target.slice(TARGET_PREFIX.length)
    : target || 'unknown';
  try {
    if (req.method !== 'POST')
      throw new AwsError('UnknownOperationException', `${req.method} is not supported`);
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    if (type !== 'application/x-amz-json-1.1') {
      throw new AwsError(
        'SerializationException',
        `content-type must be application/x-amz-json-1.1, got "${type}"`,
      );
    }
    checkAuthorization(req.headers.authorization);
    const handler = target.startsWith(TARGET_PREFIX) ? OPERATIONS[operation] : undefined;
    if (!handler) throw new AwsError('UnknownOperationException', `Unknown operation ${target}`);
    let params: unknown;
    try {
      params = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new AwsError('SerializationException', 'The request body must be a JSON object.');
    }
    const result = handler(ctx, params as Params) ?? {};
    const partial = (result as { rejectedLogEventsInfo?: unknown }).rejectedLogEventsInfo !== undefined;
    return awsJsonReply(200, result, operation, partial ? 'rejected' : 'ok');
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    ctx.store.reject({
      backend: 'cwlogs',
      at: Date.now(),
      reason: error.type,
      message: `${operation}: ${error.message}`,
    });
    return awsErrorReply(error, operation, 'rejected');
  }
}

/** Throttling is a 400 `ThrottlingException` (retried by the SDK); a fault a 5xx `ServiceUnavailableException`. */
export function cloudWatchFaultReply(fault: InjectedFault, req: IncomingMessage): HttpReply {
  const operation = String(req.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
  return fault.kind === 'throttle'
    ? awsErrorReply(new AwsError('ThrottlingException', 'Rate exceeded'), operation, 'throttled')
    : awsErrorReply(
        new AwsError(
          'ServiceUnavailableException',
          'The server failed to respond (injected fault).',
          fault.status,
        ),
        operation,
        'fault',
      );
}

function createLogGroup(ctx: CloudWatchContext, params: Params): unknown {
  const name = requireGroupName(params.logGroupName);
  if (ctx.state.has(name)) {
    throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
  }
  ctx.state.set(name, { creationTime: Date.now(), storedBytes: 0, streams: new Map() });
  return {};
}

function createLogStream(ctx: CloudWatchContext, params: Params): unknown {
  const groupName = requireGroupName(params.logGroupName);
  const streamName = requireStreamName(params.logStreamName);
  const group = ctx.state.get(groupName);
  if (!group) throw notFoundGroup();
  if (group.streams.has(streamName)) {
    throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
  }
  group.streams.set(streamName, { creationTime: Date.now(), storedBytes: 0 });
  return {};
}

function putRetentionPolicy(ctx: CloudWatchContext, params: Params): unknown {
  const groupName = requireGroupName(params.logGroupName);
  const days = params.retentionInDays;
  if (days === undefined || days === null)
    throw validationError(days, 'retentionInDays', 'Member must not be null');
  if (typeof days !== 'number' || !RETENTION_DAYS.includes(days)) {
    throw validationError(
      days,
      'retentionInDays',
      `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  }
  const group = ctx.state.get(groupName);
  if (!group) throw notFoundGroup();
  group.retentionInDays = days;
  return {};
}

function deleteLogGroup(ctx: CloudWatchContext, params: Params): unknown {
  const groupName = requireGroupName(params.logGroupName);
  if (!ctx.state.delete(groupName)) throw notFoundGroup();
  ctx.store.logEvents.removeWhere((event) => event.group === groupName);
  return {};
}

/**
 * Sequence tokens are accepted and ignored, as AWS has done since 2023; too-new, too-old and
 * expired events are rejected one by one (`rejectedLogEventsInfo`) and the rest stored.
 */
function putLogEvents(ctx: CloudWatchContext, params: Params): unknown {
  const groupName = requireGroupName(params.logGroupName);
  const streamName = requireStreamName(params.logStreamName);
  const events = validateBatch(params.logEvents, ctx.maxEventBytes);
  const group = ctx.state.get(groupName);
  if (!group) throw notFoundGroup();
  const stream = group.streams.get(streamName);
  if (!stream) throw notFoundStream();
  const now = Date.now();
  const info = classifyEvents(events, now, group.retentionInDays);
  const firstKept = Math.max(info.tooOldLogEventEndIndex ?? 0, info.expiredLogEventEndIndex ?? 0);
  const endKept = info.tooNewLogEventStartIndex ?? events.length;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (i < firstKept || i >= endKept) {
      const reason =
        i >= endKept ? 'too_new' : i < (info.expiredLogEventEndIndex ?? 0) ? 'expired' : 'too_old';
      ctx.store.reject({
        backend: 'cwlogs',
        at: now,
        reason,
        message: `PutLogEvents ${groupName}/${streamName}: event ${i} (timestamp ${event.timestamp}) ${reason}`,
      });
      continue;
    }
    const bytes = Buffer.byteLength(event.message, 'utf8');
    ctx.store.logEvents.push({ group: groupName, stream: streamName, ...event, ingestionTime: now });
    stream.storedBytes += bytes;
    group.storedBytes += bytes;
    stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? event.timestamp, event.timestamp);
    stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? event.timestamp, event.timestamp);
    stream.lastIngestionTime = now;
  }
  const rejected = Object.keys(info).length > 0;
  return {
    nextSequenceToken: String(now).padStart(56, '4'),
    ...(rejected ? { rejectedLogEventsInfo: info } : {}),
  };
}
