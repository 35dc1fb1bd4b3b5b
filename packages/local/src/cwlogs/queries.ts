import type { StoredLogEvent } from '../types';
import type { CloudWatchContext } from './api';
import { AwsError, notFoundGroup, notFoundStream, validationError } from './errors';
import { decodeToken, encodeToken, groupArn } from './state';
import { optionalInt, requireGroupName, requireStreamName } from './validate';

type Params = Record<string, unknown>;

function offsetOf(token: unknown): number {
  const offset = decodeToken(token);
  if (Number.isNaN(offset))
    throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
  return offset ?? 0;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsError('SerializationException', `${field} must be a string`);
  return value;
}

function page<T>(all: T[], params: Params, maxLimit: number, defaultLimit: number) {
  const limit = optionalInt(params.limit, 'limit', 1, maxLimit) ?? defaultLimit;
  const offset = offsetOf(params.nextToken);
  const slice = all.slice(offset, offset + limit);
  const next = offset + limit < all.length ? encodeToken(offset + limit) : undefined;
  return { slice, next };
}

export function describeLogGroups(ctx: CloudWatchContext, params: Params): unknown {
  const prefix = optionalString(params.logGroupNamePrefix, 'logGroupNamePrefix') ?? '';
  const names = [...ctx.state.keys()].filter((name) => name.startsWith(prefix)).sort();
  const { slice, next } = page(names, params, 50, 50);
  return {
    logGroups: slice.map((name) => {
      const group = ctx.state.get(name)!;
      const arn = groupArn(ctx.region, name);
      return {
        logGroupName: name,
        creationTime: group.creationTime,
        ...(group.retentionInDays !== undefined ? { retentionInDays: group.retentionInDays } : {}),
        metricFilterCount: 0,
        arn: `${arn}:*`,
        logGroupArn: arn,
        storedBytes: group.storedBytes,
        logGroupClass: 'STANDARD',
      };
    }),
    ...(next ? { nextToken: next } : {}),
  };
}

export function describeLogStreams(ctx: CloudWatchContext, params: Params): unknown {
  const groupName = requireGroupName(params.logGroupName);
  const prefix = optionalString(params.logStreamNamePrefix, 'logStreamNamePrefix');
  const orderBy = optionalString(params.orderBy, 'orderBy') ?? 'LogStreamName';
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
    throw validationError(
      orderBy,
      'orderBy',
      'Member must satisfy enum value set: [LogStreamName, LastEventTime]',
    );
  }
  if (orderBy === 'LastEventTime' && prefix !== undefined) {
    throw new AwsError(
      'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
  }
  const group = ctx.state.get(groupName);
  if (!group) throw notFoundGroup();
  const entries = [...group.streams.entries()].filter(([name]) => name.startsWith(prefix ?? ''));
  entries.sort(([a, sa], [b, sb]) =>
    orderBy === 'LogStreamName'
      ? a < b
        ? -1
        : a > b
          ? 1
          : 0
      : (sa.lastEventTimestamp ?? 0) - (sb.lastEventTimestamp ?? 0),
  );
  if (params.descending === true) entries.reverse();
  const { slice, next } = page(entries, params, 50, 50);
  return {
    logStreams: slice.map(([name, stream]) => ({
      logStreamName: name,
      creationTime: stream.creationTime,
      ...(stream.firstEventTimestamp !== undefined
        ? { firstEventTimestamp: stream.firstEventTimestamp }
        : {}),
      ...(stream.lastEventTimestamp !== undefined ? { lastEventTimestamp: stream.lastEventTimestamp } : {}),
      ...(stream.lastIngestionTime !== undefined ? { lastIngestionTime: stream.lastIngestionTime } : {}),
      arn: `${groupArn(ctx.region, groupName)}:log-stream:${name}`,
      storedBytes: 0,
    })),
    ...(next ? { nextToken: next } : {}),
  };
}

function inTimeRange(event: StoredLogEvent, params: Params): boolean {
  const start = params.startTime;
  const end = params.endTime;
  // startTime is inclusive, endTime exclusive (API reference).
  if (typeof start === 'number' && event.timestamp < start) return false;
  if (typeof end === 'number' && event.timestamp >= end) return false;
  return true;
}

function sortedByTime(events: readonly StoredLogEvent[]): StoredLogEvent[] {
  return [...events].sort((a, b) => a.timestamp - b.timestamp);
}

/** Tokens are `f/<index>` (forward) and `b/<index>` (backward) over the stream's sorted events. */
export function getLogEvents(ctx: CloudWatchContext, params: Params): unknown {
  const groupName = requireGroupName(params.logGroupName);
  const streamName = requireStreamName(params.logStreamName);
  const limit = optionalInt(params.limit, 'limit', 1, 10_000) ?? 10_000;
  const group = ctx.state.get(groupName);
  if (!group) throw notFoundGroup();
  if (!group.streams.has(streamName)) throw notFoundStream();
  const events = sortedByTime(
    ctx.store.logEvents
      .all()
      .filter((e) => e.group === groupName && e.stream === streamName && inTimeRange(e, params)),
  );
  const token = optionalString(params.nextToken, 'nextToken');
  let from: number;
  let to: number;
  const match = token === undefined ? null : /^([fb])\/(\d+)$/.exec(token);
  if (token !== undefined && !match)
    throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
  if (match?.[1] === 'f') {
    from = Math.min(Number(match[2]), events.length);
    to = Math.min(from + limit, events.length);
  } else if (match?.[1] === 'b') {
    to = Math.min(Number(match[2]), events.length);
    from = Math.max(0, to - limit);
  } else if (params.startFromHead === true) {
    from = 0;
    to = Math.min(limit, events.length);
  } else {
    to = events.length;
    from = Math.max(0, to - limit);
  }
  return {
    events: events
      .slice(from, to)
      .map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime })),
    nextForwardToken: `f/${to}`,
    nextBackwardToken: `b/${from}`,
  };
}

/**
 * Term patterns only: every bare or quoted term must occur (case-sensitive), `-term` must not occur,
 * and when `?term`s are given at least one of them must occur. JSON and space-delimited patterns
 * (`{ $.x = … }`, `[a, b]`) are not emulated and answered with `InvalidParameterException`.
 */
export function compileFilterPattern(pattern: string): (message: string) => boolean {
  const trimmed = pattern.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('%')) {
    throw new AwsError(
      'InvalidParameterException',
      `@sightline/local supports term filter patterns only, not "${trimmed.slice(0, 40)}"`,
    );
  }
  const must: string[] = [];
  const mustNot: string[] = [];
  const any: string[] = [];
  for (const [, sign, quoted, bare] of trimmed.matchAll(/([?-]?)(?:"([^"]*)"|(\S+))/g)) {
    const term = quoted ?? bare ?? '';
    if (sign === '?') any.push(term);
    else if (sign === '-') mustNot.push(term);
    else must.push(term);
  }
  return (message) =>
    must.every((t) => message.includes(t)) &&
    !mustNot.some((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t)));
}

export function filterLogEvents(ctx: CloudWatchContext, params: Params): unknown {
  const groupName = requireGroupName(params.logGroupName);
  const names = params.logStreamNames;
  const prefix = optionalString(params.logStreamNamePrefix, 'logStreamNamePrefix');
  if (names !== undefined && prefix !== undefined) {
    throw new AwsError(
      'InvalidParameterException',
      'logStreamNames and logStreamNamePrefix are mutually exclusive.',
    );
  }
  if (names !== undefined && (!Array.isArray(names) || names.length < 1 || names.length > 100)) {
    throw validationError(names, 'logStreamNames', 'Member must have length between 1 and 100');
  }
  const streams =
    names === undefined ? undefined : new Set((names as unknown[]).map((n) => requireStreamName(n)));
  const matches = compileFilterPattern(optionalString(params.filterPattern, 'filterPattern') ?? '');
  const group = ctx.state.get(groupName);
  if (!group) throw notFoundGroup();
  const events = sortedByTime(
    ctx.store.logEvents
      .all()
      .filter(
        (e) =>
          e.group === groupName &&
          (streams === undefined || streams.has(e.stream)) &&
          (prefix === undefined || e.stream.startsWith(prefix)) &&
          inTimeRange(e, params) &&
          matches(e.message),
      ),
  );
  const { slice, next } = page(events, params, 10_000, 10_000);
  const offset = offsetOf(params.nextToken);
  return {
    events: slice.map((e, i) => ({
      logStreamName: e.stream,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: String(offset + i).padStart(56, '0'),
    })),
    searchedLogStreams: [...group.streams.keys()]
      .filter((name) => (streams === undefined || streams.has(name)) && name.startsWith(prefix ?? ''))
      .map((logStreamName) => ({ logStreamName, searchedCompletely: true })),
    ...(next ? { nextToken: next } : {}),
  };
}
