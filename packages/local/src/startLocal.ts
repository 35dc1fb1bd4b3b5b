import { cloudWatchFaultReply, handleCloudWatch } from './cwlogs/api';
import type { LogsState } from './cwlogs/state';
import { type Faults, HttpFaults, UdpFaults } from './faults';
import { HttpReceiver } from './httpServer';
import { handleOtlp, otlpFaultReply } from './otlp/receiver';
import { handleRollbar, rollbarFaultReply } from './rollbar/receiver';
import { Store, type StoreLimits } from './store';
import type {
  Backend,
  LocalStats,
  Rejection,
  RequestRecord,
  StoredItem,
  StoredLogEvent,
  StoredSegment,
  StoredSpan,
} from './types';
import { type WaitForOptions, waitFor } from './waitFor';
import { XrayReceiver } from './xray/receiver';

/** Ports to listen on, all on 127.0.0.1. `0` (the default for each) picks a free port. */
export interface LocalPorts {
  otlp?: number;
  xray?: number;
  cwlogs?: number;
  rollbar?: number;
}

/** Options of `startLocal()`. */
export interface StartLocalOptions extends StoreLimits {
  /** Ports per backend. Default: 0 for each (free ports). The CLI uses `DEFAULT_PORTS`. */
  ports?: LocalPorts;
  /** The region put in `env.AWS_REGION` and in ARNs. Default `'us-east-1'`. */
  region?: string;
  /**
   * Largest CloudWatch log event accepted, message UTF-8 bytes + 26. Default 1,048,576 (the current
   * AWS limit); set 262,144 to emulate the older 256 KB limit that most libraries assume.
   */
  maxEventBytes?: number;
  /** When set, Rollbar accepts only this access token (403 otherwise). Default: any non-empty token. */
  rollbarAccessToken?: string;
  /** Largest HTTP request body, compressed size. Default 20 MiB (the OpenTelemetry collector's default). */
  maxBodyBytes?: number;
  /** Largest X-Ray datagram accepted. Default 65,507 (the largest UDP payload). */
  maxDatagramBytes?: number;
}

/**
 * Environment variables that point a service at the local receivers, under the names a real
 * deployment uses. Spread them into a child process's env or pass them to `resolve…Config(options, env)`.
 */
export interface LocalEnv {
  /** `http://127.0.0.1:PORT`; OTLP exporters append `/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: string;
  /** `'http/protobuf'`. */
  OTEL_EXPORTER_OTLP_PROTOCOL: string;
  /** `127.0.0.1:PORT` (UDP). */
  AWS_XRAY_DAEMON_ADDRESS: string;
  /** `http://127.0.0.1:PORT`, the AWS SDK's service-specific endpoint variable. */
  AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: string;
  AWS_REGION: string;
  /** Obviously fake: `'AKIDLOCAL'`. */
  AWS_ACCESS_KEY_ID: string;
  /** Obviously fake: `'local-secret'`. */
  AWS_SECRET_ACCESS_KEY: string;
  /** `http://127.0.0.1:PORT/api/1/item/` (the rollbar package POSTs to it verbatim). */
  ROLLBAR_ENDPOINT: string;
  [name: string]: string;
}

/** A log group as `local.logGroups()` lists it. */
export interface LogGroupInfo {
  name: string;
  retentionInDays: number | undefined;
  streams: string[];
}

/** The running receivers and their query API. */
export interface Local {
  readonly env: LocalEnv;
  /** The ports actually bound. */
  readonly ports: Required<LocalPorts>;
  /** Fault injection per backend. */
  readonly faults: Faults;
  /** Spans received, oldest first; optionally those of one trace or with one name. */
  spans(filter?: { traceId?: string; name?: string }): StoredSpan[];
  /** X-Ray documents received, oldest first. `traceId` is the `1-…` form. */
  segments(filter?: { traceId?: string; name?: string }): StoredSegment[];
  /** CloudWatch log events stored, in arrival order; optionally of one group and/or stream. */
  logEvents(filter?: { group?: string; stream?: string }): StoredLogEvent[];
  /** Log groups with their retention and stream names. */
  logGroups(): LogGroupInfo[];
  /** Rollbar items accepted, oldest first; optionally of one level. */
  items(filter?: { level?: string }): StoredItem[];
  /** Every request (datagram for X-Ray) with its size, status and masked headers. */
  requests(filter?: { backend?: Backend }): RequestRecord[];
  /** Everything refused, with the reason. */
  rejections(filter?: { backend?: Backend }): Rejection[];
  /** Counts, and records evicted by the memory caps. */
  stats(): LocalStats;
  /** Forgets everything received and the eviction counts (log groups and streams are kept, their events are not). */
  clear(): void;
  /**
   * Resolves with the predicate's first truthy result, re-checked whenever something arrives.
   * Rejects with `WaitForTimeoutError` after `timeoutMs` (default 5,000).
   */
  waitFor<T>(
    predicate: () => T | Promise<T>,
    options?: WaitForOptions,
  ): Promise<Exclude<T, false | 0 | '' | null | undefined>>;
  /** Closes every port. Idempotent. */
  close(): Promise<void>;
}

/** Starts all four receivers on 127.0.0.1. */
export async function startLocal(options: StartLocalOptions = {}): Promise<Local> {
  const store = new Store(options);
  const state: LogsState = new Map();
  const region = options.region ?? 'us-east-1';
  const maxBodyBytes = options.maxBodyBytes ?? 20 * 1024 * 1024;
  const faults: Faults = {
    otlp: new HttpFaults(),
    xray: new UdpFaults(),
    cwlogs: new HttpFaults(),
    rollbar: new HttpFaults(),
    async reset() {
      await Promise.all([
        faults.otlp.reset(),
        faults.xray.reset(),
        faults.cwlogs.reset(),
        faults.rollbar.reset(),
      ]);
    },
  };
  const ports = options.ports ?? {};
  const otlp = new HttpReceiver({
    backend: 'otlp',
    port: ports.otlp ?? 0,
    store,
    faults: faults.otlp,
    maxBodyBytes,
    handle: (req, body) => handleOtlp(store, req, body),
    faultReply: otlpFaultReply,
  });
  const cwlogs = new HttpReceiver({
    backend: 'cwlogs',
    port: ports.cwlogs ?? 0,
    store,
    faults: faults.cwlogs,
    maxBodyBytes,
    handle: (req, body) =>
      handleCloudWatch(
        { store, state, region, maxEventBytes: options.maxEventBytes ?? 1_048_576 },
        req,
        body,
      ),
    faultReply: cloudWatchFaultReply,
  });
  const rollbar = new HttpReceiver({
    backend: 'rollbar',
    port: ports.rollbar ?? 0,
    store,
    faults: faults.rollbar,
    maxBodyBytes,
    handle: (req, body) => handleRollbar(store, { accessToken: options.rollbarAccessToken }, req, body),
    faultReply: rollbarFaultReply,
  });
  const xray = new XrayReceiver(store, faults.xray, ports.xray ?? 0, options.maxDatagramBytes);

  const receivers = [otlp, cwlogs, rollbar, xray];
  try {
    await Promise.all(receivers.map((receiver) => receiver.listen()));
  } catch (error) {
    // A half-started set must not keep ports open.
    await Promise.all(receivers.map((receiver) => receiver.close()));
    throw error;
  }

  const env: LocalEnv = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlp.port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${xray.port}`,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: `http://127.0.0.1:${cwlogs.port}`,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    ROLLBAR_ENDPOINT: `http://127.0.0.1:${rollbar.port}/api/1/item/`,
  };
  let closed: Promise<void> | undefined;

  const describe = (): string => {
    const s = store.stats();
    const last = store.rejections.all().slice(-3);
    const rejected = last.map((r) => `${r.backend}:${r.reason}`).join(', ');
    return `spans=${s.spans} segments=${s.segments} logEvents=${s.logEvents} items=${s.items} rejections=${s.rejections}${rejected ? ` [last: ${rejected}]` : ''}`;
  };

  const local: Local = {
    env,
    ports: { otlp: otlp.port, xray: xray.port, cwlogs: cwlogs.port, rollbar: rollbar.port },
    faults,
    spans: (filter = {}) =>
      store.spans
        .all()
        .filter(
          (s) =>
            (filter.traceId === undefined || s.traceId === filter.traceId.toLowerCase()) &&
            (filter.name === undefined || s.name === filter.name),
        ),
    segments: (filter = {}) =>
      store.segments
        .all()
        .filter(
          (s) =>
            (filter.traceId === undefined || s.traceId === filter.traceId) &&
            (filter.name === undefined || s.name === filter.name),
        ),
    logEvents: (filter = {}) =>
      store.logEvents
        .all()
        .filter(
          (e) =>
            (filter.group === undefined || e.group === filter.group) &&
            (filter.stream === undefined || e.stream === filter.stream),
        ),
    logGroups: () =>
      [...state.entries()].map(([name, group]) => ({
        name,
        retentionInDays: group.retentionInDays,
        streams: [...group.streams.keys()],
      })),
    items: (filter = {}) =>
      store.items.all().filter((i) => filter.level === undefined || i.data.level === filter.level),
    requests: (filter = {}) =>
      store.requests.all().filter((r) => filter.backend === undefined || r.backend === filter.backend),
    rejections: (filter = {}) =>
      store.rejections.all().filter((r) => filter.backend === undefined || r.backend === filter.backend),
    stats: () => store.stats(),
    clear: () => store.clear(),
    waitFor: (predicate, waitOptions = {}) => waitFor(store, predicate, waitOptions, describe),
    close: () => {
      closed ??= Promise.all(receivers.map((receiver) => receiver.close())).then(() => undefined);
      return closed;
    },
  };
  return local;
}
