import type { AttributeValue, HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * `ExportTraceServiceRequest` in protobuf, written straight from the spans into one growing buffer,
 * byte for byte what OpenTelemetry's own serializer writes (tested against it). Theirs turns every
 * trace and span id into a new `Uint8Array` (three per span) and walks every span twice, once to
 * estimate the size; here ids are decoded from hex in place and the buffer is kept between batches, so
 * a batch allocates one copy of its bytes and nothing per span.
 *
 * Field numbers are those of opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;
/** OTLP span flags: bit 8 says whether bit 9 (the parent is remote) is known; we always know it. */
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/** A protobuf writer over one reusable buffer; length-delimited messages reserve one byte and shift when longer. */
export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  /** A copy of what was written, and the writer emptied for the next message. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }

  private ensure(bytes: number): void {
    const needed = this.pos + bytes;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  tag(field: number, wire: number): void {
    this.varint32((field << 3) | wire);
  }

  /** A non-negative integer below 2^32. */
  varint32(value: number): void {
    this.ensure(5);
    const b = this.buf;
    let v = value >>> 0;
    while (v > 0x7f) {
      b[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[this.pos++] = v;
  }

  /** Any integer in the int64 range, negatives in two's complement (ten bytes), as int64 fields take them. */
  varint64(value: number): void {
    if (value >= 0 && value <= 0xffffffff) {
      this.varint32(value);
      return;
    }
    this.ensure(10);
    let low: number;
    let high: number;
    const abs = Math.abs(value);
    low = abs >>> 0;
    high = (abs / 0x100000000) >>> 0;
    if (value < 0) {
      low = ~low >>> 0;
      high = ~high >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    const b = this.buf;
    while (high > 0 || low > 0x7f) {
      b[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    b[this.pos++] = low & 0x7f;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, low >>> 0, true);
    this.view.setUint32(this.pos + 4, high >>> 0, true);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Nanoseconds since the epoch of an HrTime, as fixed64, without leaving exact integer arithmetic. */
  hrTime([seconds, nanos]: HrTime): void {
    // seconds × 1e9 passes 2^53, so seconds is split at bit 16 and each half multiplied on its own.
    const fromLow = (seconds & 0xffff) * 1e9;
    const fromHigh = ((seconds / 0x10000) >>> 0) * 1e9;
    const low = (fromLow >>> 0) + (((fromHigh & 0xffff) * 0x10000) >>> 0) + nanos;
    const high =
      Math.floor(fromLow / 0x100000000) + ((fromHigh / 0x10000) >>> 0) + Math.floor(low / 0x100000000);
    this.fixed64(low >>> 0, high >>> 0);
  }

  /** A length-prefixed UTF-8 string; ASCII (nearly every key and value) is copied without an encoder call. */
  string(value: string): void {
    const n = value.length;
    this.ensure(n * 3 + 5);
    const b = this.buf;
    if (n < 0x80) {
      const start = this.pos;
      let p = start + 1;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7f) {
          this.pos = start;
          this.utf8(value);
          return;
        }
        b[p++] = c;
      }
      b[start] = n;
      this.pos = p;
      return;
    }
    this.utf8(value);
  }

  private utf8(value: string): void {
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varint32(bytes);
    this.ensure(bytes);
    this.pos += Buffer.from(this.buf.buffer, this.buf.byteOffset).write(value, this.pos, 'utf8');
  }

  /** Appends what `other` wrote, as it is. */
  raw(other: ProtoWriter): void {
    this.ensure(other.pos);
    this.buf.set(other.buf.subarray(0, other.pos), this.pos);
    this.pos += other.pos;
  }

  bytes(value: Uint8Array): void {
    this.varint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** A hex id as length-prefixed bytes (`bytes` fields: trace and span ids). */
  hexBytes(hex: string): void {
    const n = hex.length >>> 1;
    this.varint32(n);
    this.ensure(n);
    const b = this.buf;
    // A local position: one field write per id instead of one per byte.
    let pos = this.pos;
    for (let i = 0; i < 2 * n; i += 2) {
      b[pos++] = (nibble(hex.charCodeAt(i)) << 4) | nibble(hex.charCodeAt(i + 1));
    }
    this.pos = pos;
  }

  /** Opens a length-delimited message: returns where its length goes. */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Closes the message opened at `at`, moving its content when its length needs more than one byte. */
  end(at: number): void {
    const length = this.pos - at - 1;
    if (length < 0x80) {
      this.buf[at] = length;
      return;
    }
    const size = varintSize(length);
    this.ensure(size - 1);
    this.buf.copyWithin(at + size, at + 1, this.pos);
    this.pos += size - 1;
    let v = length;
    let p = at;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
  }
}

/** The value of one hex digit (as OpenTelemetry's hexToBinary reads it: anything else as if A–F). */
function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55;
}

function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'];

/** The spans of one resource and instrumentation scope, each already written as `ScopeSpans.spans`. */
interface SpanGroup {
  readonly resource: Resource;
  readonly scope: Scope;
  readonly spans: ProtoWriter;
}

/** Past this many (resource, scope) groups, groups with no span in a batch are forgotten when it is taken. */
const KEPT_GROUPS = 64;

/**
 * Encodes spans one at a time as they end, so that a batch waiting for export is a few buffers of
 * bytes instead of a graph of span objects the garbage collector copies and promotes; `take()` then
 * writes the `ExportTraceServiceRequest` (grouped by resource, then scope, in the order first seen, as
 * OpenTelemetry's serializer groups them). Buffers are reused from batch to batch.
 */
export class SpanBatchEncoder {
  private groups: SpanGroup[] = [];
  /** The groups that have spans in the current batch, in the order they got their first. */
  private batch: SpanGroup[] = [];
  private last: SpanGroup | undefined;
  private readonly out = new ProtoWriter();
  /** Spans in the current batch. */
  count = 0;

  /** Adds one span to the batch; on a failure the batch is as it was. */
  add(span: ReadableSpan): void {
    let group = this.last;
    if (
      group === undefined ||
      group.resource !== span.resource ||
      group.scope !== span.instrumentationScope
    ) {
      group = this.groupOf(span.resource, span.instrumentationScope);
      this.last = group;
    }
    const w = group.spans;
    const start = w.pos;
    try {
      w.tag(2, WIRE_LEN); // ScopeSpans.spans
      writeSpan(w, span);
    } catch (error) {
      w.pos = start;
      throw error;
    }
    if (start === 0) this.batch.push(group);
    this.count++;
  }

  private groupOf(resource: Resource, scope: Scope): SpanGroup {
    for (const g of this.groups) if (g.resource === resource && g.scope === scope) return g;
    const group = { resource, scope, spans: new ProtoWriter(4096) };
    this.groups.push(group);
    return group;
  }

  /** The export request of the spans added since the last `take()` (a copy), and an empty batch. */
  take(): Uint8Array {
    const w = this.out;
    const batch = this.batch;
    try {
      const done = new Set<Resource>();
      for (let i = 0; i < batch.length; i++) {
        const resource = batch[i]!.resource;
        if (done.has(resource)) continue;
        done.add(resource);
        this.writeResourceSpans(resource, i);
      }
      return w.take();
    } finally {
      // Even when writing failed: a batch that cannot be written is dropped, not retried forever.
      w.pos = 0;
      for (const group of batch) group.spans.pos = 0;
      this.batch = [];
      this.count = 0;
      this.last = undefined;
      if (this.groups.length > KEPT_GROUPS) this.groups = [];
    }
  }

  /** One `ResourceSpans`: the resource and its groups of the batch, from the `first`-th on. */
  private writeResourceSpans(resource: Resource, first: number): void {
    const w = this.out;
    w.tag(1, WIRE_LEN); // ExportTraceServiceRequest.resource_spans
    const resourceSpans = w.begin();
    w.tag(1, WIRE_LEN); // ResourceSpans.resource
    const res = w.begin();
    if (resource.attributes) writeAttributes(w, resource.attributes, 1);
    w.tag(2, WIRE_VARINT); // Resource.dropped_attributes_count
    w.varint32(0);
    w.end(res);
    for (let j = first; j < this.batch.length; j++) {
      const group = this.batch[j]!;
      if (group.resource !== resource) continue;
      w.tag(2, WIRE_LEN); // ResourceSpans.scope_spans
      const scopeSpans = w.begin();
      writeScope(w, group.scope);
      w.raw(group.spans);
      if (group.scope.schemaUrl) {
        w.tag(3, WIRE_LEN);
        w.string(group.scope.schemaUrl);
      }
      w.end(scopeSpans);
    }
    if (resource.schemaUrl) {
      w.tag(3, WIRE_LEN);
      w.string(resource.schemaUrl);
    }
    w.end(resourceSpans);
  }
}

function writeScope(w: ProtoWriter, scope: ReadableSpan['instrumentationScope']): void {
  w.tag(1, WIRE_LEN); // ScopeSpans.scope
  const at = w.begin();
  w.tag(1, WIRE_LEN);
  w.string(scope.name);
  if (scope.version) {
    w.tag(2, WIRE_LEN);
    w.string(scope.version);
  }
  const extra = scope as { attributes?: Record<string, AttributeValue>; droppedAttributesCount?: number };
  if (extra.attributes) writeAttributes(w, extra.attributes, 3);
  if (extra.droppedAttributesCount) {
    w.tag(4, WIRE_VARINT);
    w.varint32(extra.droppedAttributesCount);
  }
  w.end(at);
}

function writeSpan(w: ProtoWriter, span: ReadableSpan): void {
  const at = w.begin();
  const ctx = span.spanContext();
  w.tag(1, WIRE_LEN);
  w.hexBytes(ctx.traceId);
  w.tag(2, WIRE_LEN);
  w.hexBytes(ctx.spanId);
  const traceState = ctx.traceState?.serialize();
  if (traceState) {
    w.tag(3, WIRE_LEN);
    w.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.tag(4, WIRE_LEN);
    w.hexBytes(parent.spanId);
  }
  w.tag(5, WIRE_LEN);
  w.string(span.name);
  // OTLP's SpanKind counts from UNSPECIFIED = 0; the API's from INTERNAL = 0.
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    w.tag(6, WIRE_VARINT);
    w.varint32(kind);
  }
  w.tag(7, WIRE_FIXED64);
  w.hrTime(span.startTime);
  w.tag(8, WIRE_FIXED64);
  w.hrTime(span.endTime);
  if (span.attributes) writeAttributes(w, span.attributes, 9);
  w.tag(10, WIRE_VARINT);
  w.varint32(span.droppedAttributesCount);
  for (const event of span.events) writeEvent(w, event);
  w.tag(12, WIRE_VARINT);
  w.varint32(span.droppedEventsCount);
  for (const link of span.links) writeLink(w, link);
  w.tag(14, WIRE_VARINT);
  w.varint32(span.droppedLinksCount);
  w.tag(15, WIRE_LEN); // Status
  const status = w.begin();
  if (span.status.message) {
    w.tag(2, WIRE_LEN);
    w.string(span.status.message);
  }
  w.tag(3, WIRE_VARINT);
  w.varint32(span.status.code);
  w.end(status);
  w.tag(16, WIRE_FIXED32);
  w.fixed32(flags(ctx, parent?.isRemote));
  w.end(at);
}

function flags(ctx: SpanContext, remote: boolean | undefined): number {
  return (ctx.traceFlags & 0xff) | HAS_IS_REMOTE | (remote ? IS_REMOTE : 0);
}

function writeEvent(w: ProtoWriter, event: TimedEvent): void {
  w.tag(11, WIRE_LEN);
  const at = w.begin();
  w.tag(1, WIRE_FIXED64);
  w.hrTime(event.time);
  w.tag(2, WIRE_LEN);
  w.string(event.name);
  if (event.attributes) writeAttributes(w, event.attributes, 3);
  w.tag(4, WIRE_VARINT);
  w.varint32(event.droppedAttributesCount || 0);
  w.end(at);
}

function writeLink(w: ProtoWriter, link: Link & { droppedAttributesCount?: number }): void {
  w.tag(13, WIRE_LEN);
  const at = w.begin();
  w.tag(1, WIRE_LEN);
  w.hexBytes(link.context.traceId);
  w.tag(2, WIRE_LEN);
  w.hexBytes(link.context.spanId);
  const traceState = link.context.traceState?.serialize();
  if (traceState) {
    w.tag(3, WIRE_LEN);
    w.string(traceState);
  }
  if (link.attributes) writeAttributes(w, link.attributes, 4);
  w.tag(5, WIRE_VARINT);
  w.varint32(link.droppedAttributesCount || 0);
  w.tag(6, WIRE_FIXED32);
  w.fixed32(flags(link.context, link.context.isRemote));
  w.end(at);
}

/** Each own property as a `KeyValue` in field `field`. */
function writeAttributes(w: ProtoWriter, attributes: Record<string, unknown>, field: number): void {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    w.tag(field, WIRE_LEN);
    writeKeyValue(w, key, attributes[key]);
  }
}

function writeKeyValue(w: ProtoWriter, key: string, value: unknown): void {
  const at = w.begin();
  w.tag(1, WIRE_LEN);
  w.string(key);
  w.tag(2, WIRE_LEN);
  const any = w.begin();
  writeAnyValue(w, value);
  w.end(any);
  w.end(at);
}

/** An `AnyValue`: integers in the int64 range as int_value, other numbers as double_value. */
function writeAnyValue(w: ProtoWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.tag(1, WIRE_LEN);
      w.string(value);
      return;
    case 'boolean':
      w.tag(2, WIRE_VARINT);
      w.varint32(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.tag(3, WIRE_VARINT);
        w.varint64(value);
      } else {
        w.tag(4, WIRE_FIXED64);
        w.double(value);
      }
      return;
    case 'object':
      break;
    default:
      return; // OpenTelemetry writes nothing for other types either
  }
  if (value === null) return;
  if (value instanceof Uint8Array) {
    w.tag(7, WIRE_LEN);
    w.bytes(value);
    return;
  }
  if (Array.isArray(value)) {
    w.tag(5, WIRE_LEN);
    const array = w.begin();
    for (const item of value) {
      w.tag(1, WIRE_LEN);
      const at = w.begin();
      writeAnyValue(w, item);
      w.end(at);
    }
    w.end(array);
    return;
  }
  w.tag(6, WIRE_LEN);
  const list = w.begin();
  writeAttributes(w, value as Record<string, unknown>, 1);
  w.end(list);
}
