import { type Context, context } from '@opentelemetry/api';
import type { BackendReport, RedactionPolicy } from '@sightline/core';
import { resolveXRayConfig } from '../../src/config';
import type { DocumentSink } from '../../src/emitter';
import { addAnnotationTo, addErrorTo, addMetadataTo } from '../../src/entityData';
import {
  httpRequestFields,
  type RequestInfo,
  type ResponseInfo,
  safeSegmentName,
} from '../../src/requestSegment';
import { createXRay, type SubsegmentOptions } from '../../src/xray';
import {
  closeOldRequestSegment,
  newOldSubsegment,
  OldDocumentWriter,
  type OldSegment,
  type OldSubsegment,
  openOldRequestSegment,
  type SdkEntity,
} from './sdkDocuments';

/** A request segment or subsegment, as the script holds it. */
export type Handle = { readonly kind: 'handle' };

export interface OpenOptions {
  traceId: string;
  id: string;
  parentId?: string;
  rule?: string;
  request: RequestInfo;
}

/**
 * The same script of calls, played on the package as it is (`createXRay`, the public API) or on the
 * reference (the SDK's classes driven the way the package drove them before).
 */
export interface Side {
  /** Datagrams sent, in order. */
  readonly sent: string[];
  readonly drops: string[];
  open(options: OpenOptions): Handle;
  /** Opens a subsegment under `parent` that stays open until `end`. */
  subsegment(parent: Handle, name: string, options?: SubsegmentOptions): Handle;
  annotate(entity: Handle, key: string, value: unknown): void;
  metadata(entity: Handle, key: string, value: unknown, namespace?: string): void;
  addError(entity: Handle, error: unknown): void;
  /** Ends a subsegment; with `error`, as a function that threw it. */
  end(sub: Handle, error?: unknown): Promise<void>;
  close(response: ResponseInfo): void;
  /** Shutdown: segments waiting for open subsegments are sent. */
  shutdown(): Promise<void>;
}

export const SERVICE = 'backend-flask';

class CaptureSink implements DocumentSink {
  readonly sent: string[] = [];
  readonly drops: string[] = [];
  send(json: string): void {
    this.sent.push(json);
  }
  drop(reason: string, count = 1): void {
    for (let i = 0; i < count; i++) this.drops.push(reason);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  stats(): BackendReport {
    return { sent: this.sent.length, dropped: {}, pending: 0 };
  }
}

interface CurrentHandle extends Handle {
  ctx: Context;
  finish?: (error?: unknown) => void;
  done?: Promise<unknown>;
}

/** The package as it is, through its public API. */
export function currentSide(maxDatagramBytes: number): Side {
  const sink = new CaptureSink();
  let rule: string | undefined;
  const { config } = resolveXRayConfig({ serviceName: SERVICE, maxDatagramBytes }, {});
  const xray = createXRay(config, {
    sink,
    sampler: { shouldSample: () => ({ sampled: true, rule }), describe: () => 'parity' },
  });
  let segment: ReturnType<typeof xray.openRequestSegment> | undefined;
  // A finished segment is handed to the sink at the end of the event-loop turn; the reference sends it
  // at once. forceFlush hands it over synchronously (before its first await), so both sides' datagrams
  // come in the same order.
  const handOver = () => void xray.forceFlush(0);
  const inContext = (entity: Handle, fn: () => void) => context.with((entity as CurrentHandle).ctx, fn);
  return {
    sent: sink.sent,
    drops: sink.drops,
    open(options) {
      rule = options.rule;
      segment = xray.openRequestSegment(options.request, {
        traceId: options.traceId,
        id: options.id,
        parentId: options.parentId,
      });
      return segment.run(() => ({ kind: 'handle', ctx: context.active() }) as CurrentHandle);
    },
    subsegment(parent, name, options) {
      const handle = { kind: 'handle' } as CurrentHandle;
      inContext(parent, () => {
        const result = xray.subsegment(
          name,
          () => {
            handle.ctx = context.active();
            return new Promise<void>((resolve, reject) => {
              handle.finish = (error) => (error === undefined ? resolve() : reject(error));
            });
          },
          options,
        );
        handle.done = result.catch(() => {});
      });
      return handle;
    },
    annotate(entity, key, value) {
      inContext(entity, () => xray.addAnnotation(key, value as string));
    },
    metadata(entity, key, value, namespace) {
      inContext(entity, () => xray.addMetadata(key, value, namespace));
    },
    addError(entity, error) {
      inContext(entity, () => xray.addError(error));
    },
    async end(sub, error) {
      const handle = sub as CurrentHandle;
      handle.finish?.(error);
      await handle.done;
      handOver();
    },
    close(response) {
      segment?.close(response);
      handOver();
    },
    async shutdown() {
      await xray.shutdown(1000);
    },
  };
}

interface ReferenceHandle extends Handle {
  entity: SdkEntity;
}

/** The reference: aws-xray-sdk-core's classes, driven as src/xray.ts drove them before. */
export function referenceSide(maxDatagramBytes: number, policy: RedactionPolicy): Side {
  const sink = new CaptureSink();
  const writer = new OldDocumentWriter(sink, maxDatagramBytes);
  let segment: OldSegment | undefined;
  const entity = (handle: Handle) => (handle as ReferenceHandle).entity;
  return {
    sent: sink.sent,
    drops: sink.drops,
    open(options) {
      segment = openOldRequestSegment(
        writer,
        safeSegmentName(SERVICE),
        options.traceId,
        options.parentId,
        options.id,
        options.rule,
        httpRequestFields(options.request, policy),
      );
      return { kind: 'handle', entity: segment } as ReferenceHandle;
    },
    subsegment(parent, name, options) {
      const sub = newOldSubsegment(entity(parent), String(name));
      if (options?.annotations) {
        for (const [k, v] of Object.entries(options.annotations)) addAnnotationTo(sub, k, v, policy);
      }
      if (options?.metadata) {
        for (const [k, v] of Object.entries(options.metadata)) {
          addMetadataTo(sub, k, v, options.namespace, policy);
        }
      }
      return { kind: 'handle', entity: sub } as ReferenceHandle;
    },
    annotate(handle, key, value) {
      addAnnotationTo(entity(handle), key, value, policy);
    },
    metadata(handle, key, value, namespace) {
      addMetadataTo(entity(handle), key, value, namespace, policy);
    },
    addError(handle, error) {
      addErrorTo(entity(handle), error, policy);
    },
    async end(handle, error) {
      const sub = entity(handle) as OldSubsegment;
      if (error !== undefined) addErrorTo(sub, error, policy);
      sub.close();
    },
    close(response) {
      if (segment) closeOldRequestSegment(segment, writer, policy, response);
    },
    async shutdown() {
      writer.flushWaiting();
    },
  };
}
