import type { Diagnostics } from '@sightline/core';
import type { Clock } from './clock';
import type { ResolvedCloudWatchLogsConfig } from './resolveConfig';
import type { LogsSender } from './sender';

/** What the batcher is built from: the resolved configuration's sending part, plus test seams. */
export type BatcherOptions = Pick<
  ResolvedCloudWatchLogsConfig,
  | 'logGroupName'
  | 'logStreamName'
  | 'sendIntervalMs'
  | 'maxBatchEvents'
  | 'maxBatchBytes'
  | 'maxEventBytes'
  | 'oversize'
  | 'maxQueueEvents'
  | 'maxQueueBytes'
  | 'overflow'
  | 'createLogGroup'
  | 'maxConcurrentPuts'
  | 'retryBaseDelayMs'
  | 'retryMaxDelayMs'
  | 'requestTimeoutMs'
> &
  Partial<Pick<ResolvedCloudWatchLogsConfig, 'retentionInDays' | 'tags'>> & {
    sender: LogsSender;
    clock?: Clock;
    diagnostics?: Diagnostics;
    /** Random in [0, 1) for the backoff jitter. */
    random?: () => number;
  };
