import { diagnostics } from '@sightline/core';
import { classifyFailure, describeError, type LogsSender } from './sender';

interface SetupOptions {
  sender: LogsSender;
  createLogGroup: boolean;
  retentionInDays?: number | undefined;
  tags?: Record<string, string> | undefined;
}

interface StreamState {
  readonly group: string;
  readonly stream: string;
  ready: boolean;
  creating: Promise<void> | undefined;
}

const diag = diagnostics('cwlogs');

/** Thrown when the group is missing and creating it is turned off: not retried. */
export class LogGroupMissingError extends Error {
  constructor(group: string) {
    super(`log group ${group} does not exist and createLogGroup is false`);
    this.name = 'LogGroupMissingError';
  }
}

const ignoreExists = (error: unknown) => {
  if (classifyFailure(error) !== 'already_exists') throw error;
};

/**
 * Creates the stream (and, when missing, the group) idempotently, without `Describe*` calls:
 * `CreateLogStream`; on `ResourceNotFoundException` `CreateLogGroup` (+ retention) then
 * `CreateLogStream` again; `ResourceAlreadyExistsException` is success. Concurrent callers share one attempt.
 */
export function ensureStream(o: SetupOptions, q: StreamState, signal: AbortSignal): Promise<void> {
  q.creating ??= create(o, q, signal).then(
    () => {
      q.ready = true;
      q.creating = undefined;
    },
    (error: unknown) => {
      q.creating = undefined;
      throw error;
    },
  );
  return q.creating;
}

async function create(o: SetupOptions, q: StreamState, signal: AbortSignal): Promise<void> {
  const names = { logGroupName: q.group, logStreamName: q.stream };
  try {
    await o.sender.createLogStream(names, { signal }).catch(ignoreExists);
    return;
  } catch (error) {
    if (classifyFailure(error) !== 'not_found') throw error;
  }
  if (!o.createLogGroup) throw new LogGroupMissingError(q.group);
  let created = true;
  await o.sender
    .createLogGroup(o.tags ? { logGroupName: q.group, tags: o.tags } : { logGroupName: q.group }, { signal })
    .catch((error: unknown) => {
      ignoreExists(error);
      created = false;
    });
  if (created && o.retentionInDays !== undefined) {
    // Retention is a nicety: a failure here must not hold the logs back.
    await o.sender
      .putRetentionPolicy({ logGroupName: q.group, retentionInDays: o.retentionInDays }, { signal })
      .catch((error: unknown) => {
        diag.warnOnce(
          `retention:${q.group}`,
          `could not set retention on ${q.group}: ${describeError(error)}`,
        );
      });
  }
  await o.sender.createLogStream(names, { signal }).catch(ignoreExists);
}
