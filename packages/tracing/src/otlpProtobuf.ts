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
    for (let i = 0; i < n; i++) {
      b[this.pos++] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
    }
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

/** Writes an export request of `spans`, grouped by resource and then by instrumentation scope. */
export function writeTraceRequest(w: ProtoWriter, spans: readonly ReadableSpan[]): void {
  const byResource = new Map<
    ReadableSpan['resource'],
    Map<ReadableSpan['instrumentationScope'], ReadableSpan[]>
  >();
  for (const span of spans) {
    let byScope = byResource.get(span.resource);
    if (byScope === undefined) {
      byScope = new Map();
      byResource.set(span.resource, byScope);
    }
    const list = byScope.get(span.instrumentationScope);
    if (list === undefined) byScope.set(span.instrumentationScope, [span]);
    else list.push(span);
  }
  for (const [resource, byScope] of byResource) {
    w.tag(1, WIRE_LEN); // ExportTraceServiceRequest.resource_spans
    const resourceSpans = w.begin();
    w.tag(1, WIRE_LEN); // ResourceSpans.resource
    const res = w.begin();
    if (resource.attributes) writeAttributes(w, resource.attributes, 1);
    w.tag(2, WIRE_VARINT); // Resource.dropped_attributes_count
    w.varint32(0);
    w.end(res);
    for (const [scope, scoped] of byScope) {
      w.tag(2, WIRE_LEN); // ResourceSpans.scope_spans
      const scopeSpans = w.begin();
      writeScope(w, scope);
      for (const span of scoped) {
        w.tag(2, WIRE_LEN); // ScopeSpans.spans
        writeSpan(w, span);
      }
      if (scope.schemaUrl) {
        w.tag(3, WIRE_LEN);
        w.string(scope.schemaUrl);
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
