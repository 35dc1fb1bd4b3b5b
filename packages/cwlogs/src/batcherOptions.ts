import type { Diagnostics } from '@sightline/core';
import type { Clock } from './clock';
import type { OverflowPolicy, OversizePolicy } from './options';
import type { LogsSender } from './sender';

/** What the batcher is built from: the resolved configuration's sending part, plus test seams. */
export interface BatcherOptions {
  sender: LogsSender;
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
  retentionInDays?: number | undefined;
  tags?: Record<string, string> | undefined;
  createLogGroup: boolean;
  maxConcurrentPuts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  requestTimeoutMs: number;
  clock?: Clock;
  diagnostics?: Diagnostics;
  /** Random in [0, 1) for the backoff jitter. */
  random?: () => number;
}
