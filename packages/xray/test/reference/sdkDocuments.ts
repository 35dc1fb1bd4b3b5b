/**
 * The reference for the parity test: documents as this package built them until it had its own classes,
 * the SDK's `Segment` / `Subsegment` subclassed, with the writer and the request segment's close as they
 * were (src/documents.ts and src/requestSegment.ts before). Only imports and names changed; do not
 * "improve" it, the parity test compares our documents with what this produces.
 */
// Deep imports on purpose: the SDK's index creates a cls-hooked namespace when it loads.
import type { RedactionPolicy } from '@sightline/core';
import SdkSubsegment from 'aws-xray-sdk-core/dist/lib/segments/attributes/subsegment.js';
import SdkSegment from 'aws-xray-sdk-core/dist/lib/segments/segment.js';
import { type DocumentSink, PROTOCOL_HEADER_BYTES } from '../../src/emitter';
import { addErrorTo } from '../../src/entityData';
import { newEntityId, newTraceId } from '../../src/ids';
import type { ResponseInfo } from '../../src/requestSegment';

export type SdkEntity = InstanceType<typeof SdkSegment> | InstanceType<typeof SdkSubsegment>;

// Bookkeeping fields of the SDK objects that are not part of the document.
const INTERNAL = new Set(['segment', 'parent', 'counter', 'notTraced', 'noOp', 'exception']);

function documentFields(entity: object): Record<string, unknown> {
  const source = entity as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === undefined || INTERNAL.has(key)) continue;
    if (key === 'subsegments' && (value as unknown[]).length === 0) continue;
    out[key] = value;
  }
  return out;
}

const WRITER = Symbol('sightline.xray.writer');
const MAX_WAITING = 1000;

/** Identifies our documents in `aws.xray` (what the SDK's index would set as its SDK data). */
const SDK_DATA = { sdk: 'X-Ray for Node.js', package: '@sightline/xray' };

export class OldSegment extends SdkSegment {
  declare [WRITER]: OldDocumentWriter;

  /** Replaces the SDK's init (called by its constructor): pooled random ids, no process-wide SDK state. */
  init(name: string, rootId?: string | null, parentId?: string | null): void {
    const self = this as unknown as Record<string, unknown>;
    self.trace_id = rootId ?? newTraceId();
    self.id = newEntityId();
    self.start_time = Date.now() / 1000;
    self.name = name;
    self.in_progress = true;
    self.counter = 0;
    if (parentId) self.parent_id = parentId;
    self.aws = { xray: { ...SDK_DATA } };
  }

  override flush(): void {
    this[WRITER].writeSegment(this);
  }

  toJSON(): Record<string, unknown> {
    return documentFields(this);
  }
}

export class OldSubsegment extends SdkSubsegment {
  /** Replaces the SDK's init (called by its constructor): a pooled random id. */
  init(name: string): void {
    const self = this as unknown as Record<string, unknown>;
    self.id = newEntityId();
    self.name = name;
    self.start_time = Date.now() / 1000;
    self.in_progress = true;
    self.counter = 0;
    self.notTraced = false;
  }

  override flush(): void {
    // Called by the SDK when it streams closed subsegments of a segment with many open ones.
    const root = this.segment as OldSegment | undefined;
    root?.[WRITER]?.writeStreamed(this);
  }

  override toJSON(): Record<string, unknown> {
    return documentFields(this);
  }
}

/** A new root segment whose documents go to `writer`. */
export function newOldSegment(writer: OldDocumentWriter, name: string, traceId: string, parentId?: string) {
  const segment = new OldSegment(name, traceId, parentId);
  // A symbol key: neither Object.keys (documentFields) nor JSON.stringify sees it.
  segment[WRITER] = writer;
  return segment;
}

export function newOldSubsegment(parent: SdkEntity, name: string): OldSubsegment {
  const sub = new OldSubsegment(name);
  parent.addSubsegment(sub);
  return sub;
}

type Entity = SdkEntity & {
  subsegments?: SdkEntity[];
  metadata?: unknown;
  annotations?: unknown;
  cause?: { exceptions?: { stack?: unknown[] }[] };
  type?: string;
  parent_id?: string;
  trace_id?: string;
};

/**
 * Turns finished entities into datagrams no larger than `maxBytes`: a document that would not fit is sent
 * as its parent part plus each subsegment as its own `"type":"subsegment"` document (recursively); one that
 * still does not fit loses its metadata, then its stack frames, and only then is dropped (`too_large`).
 */
export class OldDocumentWriter {
  /** Segments closed while subsegments were still open: sent when the last one closes, or at shutdown. */
  readonly waiting = new Set<OldSegment>();

  constructor(
    private readonly sink: DocumentSink,
    private readonly maxBytes: number,
  ) {}

  writeSegment(segment: OldSegment): void {
    this.waiting.delete(segment);
    if (segment.notTraced === true) return;
    this.emit(segment as Entity, false);
  }

  writeStreamed(sub: OldSubsegment): void {
    if (sub.segment?.notTraced === true) return;
    this.emit(sub as Entity, true);
  }

  /**
   * Remembers a closed segment whose subsegments are still open. At most `MAX_WAITING` are kept: past
   * that the oldest is sent now with its open subsegments `in_progress` (X-Ray takes the later complete
   * document as an update), so background work that never ends cannot grow memory without bound.
   */
  awaitSubsegments(segment: OldSegment): void {
    if (this.waiting.size >= MAX_WAITING) {
      const oldest = this.waiting.values().next().value;
      if (oldest) this.writeSegment(oldest);
    }
    this.waiting.add(segment);
  }

  /** Sends the segments still waiting for subsegments, with those marked in progress. */
  flushWaiting(): void {
    for (const segment of [...this.waiting]) this.writeSegment(segment);
  }

  private fits(json: string): boolean {
    return Buffer.byteLength(json) + PROTOCOL_HEADER_BYTES <= this.maxBytes;
  }

  /** Sends `entity` when its JSON fits; says whether it did. */
  private trySend(entity: Entity): boolean {
    const json = serialize(entity);
    if (json === undefined || !this.fits(json)) return false;
    this.sink.send(json);
    return true;
  }

  private emit(entity: Entity, standalone: boolean): void {
    if (standalone) {
      const sub = entity as InstanceType<typeof SdkSubsegment>;
      entity.type = 'subsegment';
      entity.parent_id = sub.parent.id;
      entity.trace_id = sub.segment.trace_id;
    }
    if (this.trySend(entity)) return;
    const children = entity.subsegments ?? [];
    if (children.length > 0) {
      entity.subsegments = [];
      for (const child of children) this.emit(child as Entity, true);
      if (this.trySend(entity)) return;
    }
    if (entity.metadata !== undefined) {
      entity.metadata = {
        sightline: {
          truncated: `metadata removed: the document exceeded the ${this.maxBytes}-byte datagram`,
        },
      };
      if (this.trySend(entity)) return;
    }
    for (const ex of entity.cause?.exceptions ?? []) ex.stack = [];
    if (this.trySend(entity)) return;
    this.sink.drop(serialize(entity) === undefined ? 'invalid' : 'too_large');
  }
}

// No replacer (it takes JSON.stringify off its fast path): metadata went through redactValue, which
// turns BigInts and other non-JSON values into strings, and annotations are validated scalars.
function serialize(entity: object): string | undefined {
  try {
    return oldEntityJson(entity);
  } catch {
    return undefined;
  }
}

/** `"key":` for each document key seen (a few dozen names, the SDK's field names). */
const KEY_PREFIXES = new Map<string, string>();
function keyPrefix(key: string): string {
  let prefix = KEY_PREFIXES.get(key);
  if (prefix === undefined) {
    prefix = `${JSON.stringify(key)}:`;
    if (KEY_PREFIXES.size < 1000) KEY_PREFIXES.set(key, prefix);
  }
  return prefix;
}

/**
 * `JSON.stringify(entity)` without the copy `toJSON` makes: the same text (same keys, same order, the
 * bookkeeping fields left out), written field by field, subsegments recursively. This runs for every
 * request, and the copies were most of its cost.
 */
export function oldEntityJson(entity: object): string {
  const source = entity as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === undefined || INTERNAL.has(key)) continue;
    let json: string | undefined;
    if (key === 'subsegments' && Array.isArray(value)) {
      if (value.length === 0) continue;
      json = '[';
      for (let i = 0; i < value.length; i++) {
        const sub = value[i] as unknown;
        if (i > 0) json += ',';
        json += sub instanceof OldSubsegment ? oldEntityJson(sub) : (JSON.stringify(sub) ?? 'null');
      }
      json += ']';
    } else {
      json = JSON.stringify(value);
      if (json === undefined) continue; // a function or symbol: JSON.stringify leaves the key out too
    }
    out += out.length === 1 ? keyPrefix(key) : `,${keyPrefix(key)}`;
    out += json;
  }
  return `${out}}`;
}

/** SampledRequestSegment.close as it was, on an old segment (its first lines are the caller's). */
export function closeOldRequestSegment(
  segment: OldSegment,
  writer: OldDocumentWriter,
  policy: RedactionPolicy,
  response: ResponseInfo,
): void {
  const seg = segment as OldSegment & Record<string, unknown>;
  const status = Number.isInteger(response.statusCode) ? response.statusCode : 0;
  const http = seg.http as { response?: Record<string, number> };
  http.response = { status };
  if (response.contentLength !== undefined && Number.isFinite(response.contentLength)) {
    http.response.content_length = response.contentLength;
  }
  if (response.error !== undefined) addErrorTo(segment, response.error, policy);
  // The SDK's addError always sets fault; the status decides: 4xx error, 429 throttle, 5xx fault.
  if (status >= 400 && status < 500) {
    seg.error = true;
    delete seg.fault;
    if (status === 429) seg.throttle = true;
  } else if (status >= 500) seg.fault = true;
  segment.close();
  // Subsegments still open (background work): the SDK sends the segment when the last one closes.
  if ((segment as unknown as { counter: number }).counter > 0) writer.awaitSubsegments(segment);
}

/** SampledRequestSegment's constructor as it was: the segment, its id, the rule, `http.request`. */
export function openOldRequestSegment(
  writer: OldDocumentWriter,
  name: string,
  traceId: string,
  parentId: string | undefined,
  id: string,
  rule: string | undefined,
  request: Record<string, unknown>,
): OldSegment {
  const segment = newOldSegment(writer, name, traceId, parentId);
  segment.id = id;
  if (rule !== undefined) segment.setMatchedSamplingRule(rule);
  (segment as unknown as { http: unknown }).http = { request };
  return segment;
}
