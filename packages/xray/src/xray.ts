import type { Context } from '@opentelemetry/api';
import {
  type BackendLifecycle,
  type BackendReport,
  Deadline,
  diagnostics,
  onProcessExit,
  type RedactionPolicy,
} from '@sightline/core';
import { CentralizedSampler } from './centralizedSampler';
import type { ResolvedXRayConfig } from './config';
import { acquireContextManager, activeEntity, contextWithEntity, withEntity } from './context';
import { formatDaemonAddress } from './daemonAddress';
import { DocumentWriter, newSubsegment, type XRaySubsegment } from './documents';
import { type DocumentSink, UdpEmitter } from './emitter';
import { addAnnotationTo, addErrorTo, addMetadataTo } from './entityData';
import { newTraceId } from './ids';
import {
  type ActiveEntity,
  headerValue,
  incomingTrace,
  type RequestInfo,
  type RequestSegment,
  SampledRequestSegment,
  type SegmentIds,
  segmentName,
  UnsampledRequestSegment,
} from './requestSegment';
import { LocalSampler, type Sampler, type SamplerClock } from './sampler';
import { describeSampling } from './samplingRules';

const log = diagnostics('xray');

export interface SubsegmentOptions {
  /** Indexed annotations (string, number or boolean values). */
  annotations?: Record<string, unknown>;
  /** Metadata entries, recorded under `namespace`. */
  metadata?: Record<string, unknown>;
  /** Metadata namespace. Default `default`. */
  namespace?: string;
}

export interface XRayTraceIds {
  /** `1-…-…` */
  xrayTraceId: string;
  /** The request segment's id. */
  segmentId: string;
  /** The current subsegment's id (the segment's id outside any subsegment). */
  entityId: string;
  sampled: boolean;
}

/**
 * A subsegment opened under the current (sub)segment for a caller that runs the work in a context of
 * its own making (the facade's `obs.span` puts it and the OpenTelemetry span in one context).
 */
export interface OpenSubsegment {
  /** `ctx` with this subsegment as the current X-Ray entity. */
  inContext(ctx: Context): Context;
  /** Records `error` (fault and cause) and closes the subsegment. */
  fail(error: unknown): void;
  close(): void;
}

export interface XRayBackend extends BackendLifecycle {
  openRequestSegment(req: RequestInfo, ids?: SegmentIds): RequestSegment;
  /** Runs `fn` (sync or async) in a subsegment of the current (sub)segment; errors are recorded and re-thrown. */
  subsegment<T>(name: string, fn: () => T, options?: SubsegmentOptions): T;
  /**
   * Opens a subsegment of the current (sub)segment without running anything in it; undefined when no
   * sampled segment is current (then nothing is recorded, as `subsegment` runs `fn` alone). Outside
   * any segment it reports the missing context as `subsegment` does (a throw under RUNTIME_ERROR).
   */
  openSubsegment(name: string, options?: SubsegmentOptions): OpenSubsegment | undefined;
  /** Wraps a handler so that each call runs in a subsegment (the Python SDK's `@xray_recorder.capture`). */
  capture<A extends unknown[], R>(name: string, handler: (...args: A) => R): (...args: A) => R;
  addAnnotation(key: string, value: string | number | boolean): void;
  addMetadata(key: string, value: unknown, namespace?: string): void;
  /** Records a caught error (`fault` and `cause`) on the current (sub)segment, without throwing. */
  addError(error: unknown): void;
  currentTraceIds(): XRayTraceIds | undefined;
}

/** Seams for tests and for another transport. */
export interface XRayDependencies {
  /** Where documents go. Default: UDP to the daemon. */
  sink?: DocumentSink;
  /** Clock and chance for the local sampler's reservoir. */
  clock?: SamplerClock;
  /** Replaces the sampler (e.g. the daemon's centralized one). */
  sampler?: Sampler;
}

export class XRayContextMissingError extends Error {
  constructor(what: string) {
    super(
      `X-Ray context missing: ${what} outside any request segment (AWS_XRAY_CONTEXT_MISSING=RUNTIME_ERROR)`,
    );
    this.name = 'XRayContextMissingError';
  }
}

const DEFAULT_TIMEOUT_MS = 5000;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

// Hoisted: a regular-expression literal in a function body is a new object on every call.
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const QUERY_OR_FRAGMENT = /[?#]/;

/** The path of an absolute or path-only URL, without query or fragment. */
function urlPath(url: string): string {
  if (ABSOLUTE_URL.test(url)) {
    try {
      return new URL(url).pathname;
    } catch {
      return url;
    }
  }
  const end = url.search(QUERY_OR_FRAGMENT);
  return end === -1 ? url : url.slice(0, end);
}

/** An open subsegment and the entity the context carries for it; a class: one object per subsegment. */
class OpenedSubsegment implements OpenSubsegment {
  readonly entity: ActiveEntity;

  constructor(
    private readonly sub: XRaySubsegment,
    parent: ActiveEntity,
    private readonly policy: RedactionPolicy,
  ) {
    this.entity = { traceId: parent.traceId, segmentId: parent.segmentId, entity: sub };
  }

  inContext(ctx: Context): Context {
    return contextWithEntity(ctx, this.entity);
  }

  fail(error: unknown): void {
    addErrorTo(this.sub, error, this.policy);
    this.sub.close();
  }

  close(): void {
    this.sub.close();
  }
}

export function createXRay(config: ResolvedXRayConfig, deps: XRayDependencies = {}): XRayBackend {
  const { udp } = config.daemon;
  const sink = deps.sink ?? new UdpEmitter(udp.host, udp.port, config.maxPendingDatagrams);
  const writer = new DocumentWriter(sink, config.maxDatagramBytes);
  const sampler: Sampler =
    deps.sampler ??
    (config.centralizedSampling
      ? new CentralizedSampler(config)
      : new LocalSampler(config.sampling, deps.clock));
  const policy = config.redaction;
  const releaseContext = acquireContextManager();
  let stopped = false;
  const stopAtExit = onProcessExit(() => {
    // The event loop will not turn again: what waits for the end of the turn (and segments waiting for
    // subsegments, as at shutdown) is written now, and the emitter sends it synchronously if it can.
    writer.flushWaiting();
    const unsent = sink.sendAllNow?.() ?? sink.stats().pending;
    if (unsent > 0) {
      log.warn(`${unsent} X-Ray document(s) were not sent to the daemon before the process exited`);
    }
  });
  /** The sink's counts, with the finished segments not yet handed to it as pending. */
  const report = (): BackendReport => {
    const stats = sink.stats();
    const queued = writer.queuedCount;
    return queued === 0 ? stats : { ...stats, pending: stats.pending + queued };
  };

  const contextMissing = (what: string): void => {
    if (config.contextMissing === 'RUNTIME_ERROR') throw new XRayContextMissingError(what);
    if (config.contextMissing === 'LOG_ERROR') {
      log.warnOnce(`context-missing:${what}`, `${what} outside any request segment: nothing recorded`);
    }
  };

  const current = (): ActiveEntity | undefined => activeEntity<ActiveEntity>();

  /** See `openSubsegment`; the class itself, for `subsegment`'s own use of its entity. */
  const open = (name: string, options?: SubsegmentOptions): OpenedSubsegment | undefined => {
    const parent = current();
    if (!parent) {
      contextMissing(`subsegment "${name}"`);
      return undefined;
    }
    if (!parent.entity) return undefined;
    try {
      const sub = newSubsegment(parent.entity, String(name));
      if (options?.annotations) {
        for (const [k, v] of Object.entries(options.annotations)) addAnnotationTo(sub, k, v, policy);
      }
      if (options?.metadata) {
        for (const [k, v] of Object.entries(options.metadata)) {
          addMetadataTo(sub, k, v, options.namespace, policy);
        }
      }
      return new OpenedSubsegment(sub, parent, policy);
    } catch (error) {
      log.warnOnce('subsegment', `could not open an X-Ray subsegment: ${(error as Error).message}`);
      return undefined;
    }
  };

  const backend: XRayBackend = {
    name: 'xray',

    describe() {
      const naming = config.dynamicNaming ? `, dynamic naming "${config.dynamicNaming}"` : '';
      const sampling =
        deps.sampler || config.centralizedSampling
          ? sampler.describe()
          : `${describeSampling(config.sampling)} (${config.samplingSource})`;
      return `xray: daemon udp ${formatDaemonAddress(config.daemon)}, service "${config.serviceName}"${naming}, sampling ${sampling}`;
    },

    openRequestSegment(req, ids) {
      try {
        const trace = incomingTrace(req, ids);
        const host = req.host ?? headerValue(req.headers, 'host');
        const name = segmentName(config.serviceName, config.dynamicNaming, host);
        let sampled = trace.sampled;
        let rule: string | undefined;
        if (stopped) sampled = false;
        if (sampled === undefined) {
          const decision = sampler.shouldSample({
            serviceName: name,
            host,
            httpMethod: req.method,
            urlPath: urlPath(req.url),
          });
          sampled = decision.sampled;
          rule = decision.rule;
        }
        if (!sampled) {
          sink.drop('not_sampled');
          return new UnsampledRequestSegment(trace.traceId, ids?.id);
        }
        return new SampledRequestSegment(writer, policy, name, trace, ids?.id, req, rule);
      } catch (error) {
        log.warnOnce('open', `could not open an X-Ray segment: ${(error as Error).message}`);
        return new UnsampledRequestSegment(newTraceId(), ids?.id);
      }
    },

    subsegment<T>(name: string, fn: () => T, options?: SubsegmentOptions): T {
      const opened = open(name, options);
      if (opened === undefined) return fn();
      let result: T;
      try {
        result = withEntity(opened.entity, fn);
      } catch (error) {
        opened.fail(error);
        throw error;
      }
      if (isThenable(result)) {
        return Promise.resolve(result).then(
          (value) => {
            opened.close();
            return value;
          },
          (error: unknown) => {
            opened.fail(error);
            throw error;
          },
        ) as T;
      }
      opened.close();
      return result;
    },

    openSubsegment: open,

    capture(name, handler) {
      return function captured(this: unknown, ...args) {
        return backend.subsegment(name, () => handler.apply(this, args));
      };
    },

    addAnnotation(key, value) {
      const active = current();
      if (!active) return contextMissing(`addAnnotation("${key}")`);
      if (active.entity) addAnnotationTo(active.entity, key, value, policy);
    },

    addMetadata(key, value, namespace) {
      const active = current();
      if (!active) return contextMissing(`addMetadata("${key}")`);
      if (active.entity) addMetadataTo(active.entity, key, value, namespace, policy);
    },

    addError(error) {
      const active = current();
      if (!active) return contextMissing('addError');
      if (active.entity) addErrorTo(active.entity, error, policy);
    },

    currentTraceIds() {
      const active = current();
      if (!active) return undefined;
      return {
        xrayTraceId: active.traceId,
        segmentId: active.segmentId,
        entityId: active.entity?.id ?? active.segmentId,
        sampled: active.entity !== undefined,
      };
    },

    async forceFlush(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<BackendReport> {
      writer.writeQueued();
      await sink.flush(timeoutMs).catch(() => {});
      return report();
    },

    async shutdown(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<BackendReport> {
      if (!stopped) {
        stopped = true;
        const deadline = new Deadline(timeoutMs);
        try {
          writer.flushWaiting();
          await sink.close(deadline.remainingMs());
        } catch {
          // shutdown never rejects
        }
        sampler.close?.();
        releaseContext();
        stopAtExit();
      }
      return report();
    },

    stats: report,
  };
  return backend;
}
