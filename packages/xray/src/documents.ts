import { TurnQueue } from '@sightline/core';
import { type DocumentSink, PROTOCOL_HEADER_BYTES } from './emitter';
import { XRaySegment } from './segment';
import { XRaySubsegment } from './subsegment';

export { XRaySegment, XRaySubsegment };

/** A segment or subsegment document. */
export type XRayEntity = XRaySegment | XRaySubsegment;

const MAX_WAITING = 1000;
/** Finished segments waiting for the end of the event-loop turn; past this many they are written at once. */
const MAX_QUEUED = 1024;

/** A new root segment whose documents go to `writer`; `id` when the caller chose it (else a new one). */
export function newSegment(
  writer: DocumentWriter,
  name: string,
  traceId: string,
  parentId?: string,
  id?: string,
): XRaySegment {
  return new XRaySegment(writer, name, traceId, parentId, id);
}

export function newSubsegment(parent: XRayEntity, name: string): XRaySubsegment {
  const sub = new XRaySubsegment(name);
  parent.addSubsegment(sub);
  return sub;
}

/**
 * Turns finished entities into datagrams no larger than `maxBytes`: a document that would not fit is sent
 * as its parent part plus each subsegment as its own `"type":"subsegment"` document (recursively); one that
 * still does not fit loses its metadata, then its stack frames, and only then is dropped (`too_large`).
 */
export class DocumentWriter {
  /** Segments closed while subsegments were still open: sent when the last one closes, or at shutdown. */
  readonly waiting = new Set<XRaySegment>();
  /**
   * Finished segments, serialized and handed to the sink together once per event-loop turn rather than
   * each in its response's 'close' (see `TurnQueue`); the sink sends them in a later turn anyway.
   */
  private readonly queued = new TurnQueue<XRaySegment>((segment) => this.emit(segment), MAX_QUEUED);

  constructor(
    private readonly sink: DocumentSink,
    private readonly maxBytes: number,
  ) {}

  writeSegment(segment: XRaySegment): void {
    this.waiting.delete(segment);
    this.queued.push(segment);
  }

  /** Segments finished and not yet handed to the sink (they count as pending). */
  get queuedCount(): number {
    return this.queued.size;
  }

  /** Hands every finished segment to the sink now (flush, shutdown). */
  writeQueued(): void {
    this.queued.drain();
  }

  /** A closed subsegment sent on its own (streamed, past 100 open subsegments). */
  writeStreamed(sub: XRaySubsegment): void {
    this.emit(sub);
  }

  /**
   * Remembers a closed segment whose subsegments are still open. At most `MAX_WAITING` are kept: past
   * that the oldest is sent now with its open subsegments `in_progress` (X-Ray takes the later complete
   * document as an update), so background work that never ends cannot grow memory without bound.
   */
  awaitSubsegments(segment: XRaySegment): void {
    if (this.waiting.size >= MAX_WAITING) {
      const oldest = this.waiting.values().next().value;
      if (oldest) this.writeSegment(oldest);
    }
    this.waiting.add(segment);
  }

  /** Sends the segments still waiting for subsegments, with those marked in progress. */
  flushWaiting(): void {
    for (const segment of [...this.waiting]) this.writeSegment(segment);
    this.writeQueued();
  }

  /** Sends `entity` when its JSON fits; says whether it did. */
  private trySend(entity: XRayEntity): boolean {
    const json = serialize(entity);
    if (json === undefined) return false;
    const bytes = Buffer.byteLength(json);
    if (bytes + PROTOCOL_HEADER_BYTES > this.maxBytes) return false;
    this.sink.send(json, bytes);
    return true;
  }

  /** A segment, or a subsegment as its own document (`type`, `parent_id`, `trace_id` set). */
  private emit(entity: XRayEntity): void {
    if (entity instanceof XRaySubsegment) entity.setStandalone();
    if (this.trySend(entity)) return;
    const children = entity.subsegments ?? [];
    if (children.length > 0) {
      entity.subsegments = [];
      for (const child of children) this.emit(child);
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
function serialize(entity: XRayEntity): string | undefined {
  try {
    return entity.toJSONString();
  } catch {
    return undefined;
  }
}

/** The document's JSON, as `JSON.stringify(entity)` writes it (each class writes its known fields). */
export function entityJson(entity: XRayEntity): string {
  return entity.toJSONString();
}
