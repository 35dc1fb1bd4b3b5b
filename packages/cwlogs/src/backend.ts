import {
  type BackendLifecycle,
  type BackendReport,
  type Diagnostics,
  diagnostics,
  onProcessExit,
  settleWithin,
} from '@sightline/core';
import { createAwsSender } from './awsSender';
import { Batcher, type Clock, type LogEventInput } from './batcher';
import { createLogger, type Logger } from './logger';
import type { LoggerOptions } from './options';
import type { ResolvedCloudWatchLogsConfig } from './resolveConfig';
import { defaultStreamContext, renderStreamName } from './streamName';

/** What `createCloudWatchLogs` returns: the batcher, a logger factory and the facade's lifecycle. */
export interface CloudWatchLogsBackend extends BackendLifecycle {
  readonly name: 'cwlogs';
  readonly enabled: boolean;
  /** The group events go to by default. */
  readonly logGroupName: string;
  /** The stream name rendered from the template for this process. */
  readonly logStreamName: string;
  /** Queues one event; returns whether it was accepted (a refusal is counted). Never throws, never blocks. */
  put(event: LogEventInput): boolean;
  /** Resolves when everything put before the call is acknowledged or counted as dropped. */
  flush(): Promise<BackendReport>;
  /** A logger writing to this backend (and to the console when `console` is true). */
  createLogger(options?: LoggerOptions): Logger;
}

/** Internal knobs for tests. */
export interface BackendInternals {
  clock?: Clock;
  random?: () => number;
  diagnostics?: Diagnostics;
}

const diag = diagnostics('cwlogs');
const EXIT_DRAIN_MS = 5_000;

/** Builds the backend from a resolved configuration. Never throws; when `enabled` is false, loggers write to the console only. */
export function createCloudWatchLogs(
  config: ResolvedCloudWatchLogsConfig,
  internals: BackendInternals = {},
): CloudWatchLogsBackend {
  const stream = renderStreamName(
    config.logStreamName,
    defaultStreamContext(config.serviceName, config.environment),
  );
  if (!config.enabled) return disabledBackend(config, stream);
  const sender =
    config.sender ??
    createAwsSender({
      region: config.region,
      endpoint: config.endpoint,
      credentials: config.credentials,
      maxAttempts: config.sdkMaxAttempts,
    });
  const batcher = new Batcher({ ...config, logStreamName: stream, sender, ...internals });

  const log = internals.diagnostics ?? diag;
  let keepAlive: NodeJS.Timeout | undefined;
  let exitDrainTried = false;
  const onBeforeExit = () => {
    if (batcher.pending === 0) return;
    // The event loop is empty but events are queued: send them. A referenced timer keeps the process
    // alive through the retry backoff, once, for at most EXIT_DRAIN_MS.
    if (!exitDrainTried) {
      exitDrainTried = true;
      keepAlive = setTimeout(() => undefined, EXIT_DRAIN_MS);
    }
    void batcher.flush().then(() => clearTimeout(keepAlive));
  };
  // At `exit` nothing can be sent any more (a PutLogEvents call needs the answer): what is left is
  // counted, through the same diagnostics as every other Sightline message, and in the one exit
  // listener every backend of the process shares.
  const onExit = () => {
    const n = batcher.pending;
    if (n > 0) log.warn(`${n} log event(s) were not sent to CloudWatch Logs before the process exited`);
  };
  let stopAtExit: (() => void) | undefined;
  if (config.handleExit) {
    process.on('beforeExit', onBeforeExit);
    stopAtExit = onProcessExit(onExit);
  }
  const unhook = () => {
    if (stopAtExit === undefined) return;
    process.off('beforeExit', onBeforeExit);
    stopAtExit();
    stopAtExit = undefined;
  };

  let shuttingDown: Promise<BackendReport> | undefined;
  const backend: CloudWatchLogsBackend = {
    name: 'cwlogs',
    enabled: true,
    logGroupName: config.logGroupName,
    logStreamName: stream,
    put: (event) => batcher.put(event),
    flush: async () => {
      await batcher.flush();
      return batcher.stats();
    },
    createLogger: (options = {}) =>
      createLogger({
        serviceName: config.serviceName,
        ...(config.redaction ? { redaction: config.redaction } : {}),
        ...options,
        put: (line, timestamp, group, stream) => {
          batcher.putMessage(line, timestamp, group, stream);
        },
      }),
    describe: () =>
      `cwlogs: group ${config.logGroupName}, stream ${stream} via ${config.endpoint ?? 'the AWS SDK endpoint chain'}; ` +
      `each event sent within ${config.sendIntervalMs / 1000} s, batches ≤ ${config.maxBatchEvents} events / ${config.maxBatchBytes} B, ` +
      `queue ≤ ${config.maxQueueEvents} events / ${config.maxQueueBytes} B (${config.overflow}), oversize ${config.oversize}`,
    forceFlush: async (timeoutMs = 30_000) => {
      await settleWithin(batcher.flush(), timeoutMs);
      return batcher.stats();
    },
    shutdown: (timeoutMs = 10_000) => {
      shuttingDown ??= (async () => {
        batcher.close();
        const outcome = await settleWithin(batcher.flush(), timeoutMs);
        if (outcome.status !== 'done') {
          const left = batcher.pending;
          batcher.abandon('shutdown_timeout');
          log.warn(`shutdown deadline (${timeoutMs} ms) reached: ${left} log event(s) not sent`);
        }
        unhook();
        sender.destroy?.();
        return batcher.stats();
      })();
      return shuttingDown;
    },
    stats: () => batcher.stats(),
  };
  return backend;
}

function disabledBackend(config: ResolvedCloudWatchLogsConfig, stream: string): CloudWatchLogsBackend {
  const report = (): BackendReport => ({ sent: 0, dropped: {}, pending: 0 });
  return {
    name: 'cwlogs',
    enabled: false,
    logGroupName: config.logGroupName,
    logStreamName: stream,
    put: () => false,
    flush: async () => report(),
    createLogger: (options = {}) =>
      createLogger({
        serviceName: config.serviceName,
        ...(config.redaction ? { redaction: config.redaction } : {}),
        ...options,
      }),
    describe: () => 'cwlogs: off (set SIGHTLINE_CWLOGS_GROUP or cwlogs.logGroupName); logs go to stdout',
    forceFlush: async () => report(),
    shutdown: async () => report(),
    stats: report,
  };
}
