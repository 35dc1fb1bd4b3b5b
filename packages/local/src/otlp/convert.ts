import { isValidOtelTraceId, isValidSpanId } from '@sightline/core';
import type { Attributes, AttributeValue, SpanKindName, StoredSpan } from '../types';

/**
 * The decoded request, in the shape protobufjs `toObject` gives (camelCase keys) and OTLP/JSON uses.
 * Ids are bytes from protobuf and hex strings from JSON; int64/fixed64 are strings or numbers.
 */
export interface RawAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: RawAnyValue[] };
  kvlistValue?: { values?: RawKeyValue[] };
  /** bytes from protobuf, base64 from JSON. */
  bytesValue?: Uint8Array | string;
}
export interface RawKeyValue {
  key?: string;
  value?: RawAnyValue;
}
type RawId = Uint8Array | string | undefined;
interface RawSpan {
  traceId?: RawId;
  spanId?: RawId;
  traceState?: string;
  parentSpanId?: RawId;
  flags?: number;
  name?: string;
  kind?: number | string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: RawKeyValue[];
  events?: { timeUnixNano?: string | number; name?: string; attributes?: RawKeyValue[] }[];
  links?: { traceId?: RawId; spanId?: RawId; traceState?: string; attributes?: RawKeyValue[] }[];
  status?: { message?: string; code?: number | string };
}
export interface RawExportRequest {
  resourceSpans?: {
    resource?: { attributes?: RawKeyValue[] };
    scopeSpans?: {
      scope?: { name?: string; version?: string; attributes?: RawKeyValue[] };
      spans?: RawSpan[];
    }[];
  }[];
}

const KIND_NAMES: SpanKindName[] = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const KIND_ENUM_NAMES = KIND_NAMES.map((k) => `SPAN_KIND_${k}`);
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

export interface ConvertResult {
  spans: StoredSpan[];
  /** Spans refused (invalid ids), with why; answered as `partial_success`. */
  rejected: { count: number; reasons: string[] };
}

/** Turns a decoded export request into stored spans; spans with invalid ids are rejected, per the OTLP spec. */
export function convertRequest(request: RawExportRequest, receivedAt: number): ConvertResult {
  const spans: StoredSpan[] = [];
  const reasons: string[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = flattenAttributes(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scope = {
        name: scopeSpans.scope?.name ?? '',
        version: scopeSpans.scope?.version ?? '',
        attributes: flattenAttributes(scopeSpans.scope?.attributes),
      };
      for (const raw of scopeSpans.spans ?? []) {
        const span = convertSpan(raw, resource, scope, receivedAt);
        if (typeof span === 'string') reasons.push(span);
        else spans.push(span);
      }
    }
  }
  return { spans, rejected: { count: reasons.length, reasons } };
}

function convertSpan(
  raw: RawSpan,
  resource: Attributes,
  scope: StoredSpan['scope'],
  receivedAt: number,
): StoredSpan | string {
  const traceId = idToHex(raw.traceId);
  const spanId = idToHex(raw.spanId);
  const parent = idToHex(raw.parentSpanId);
  // OTLP spec: an all-zero id, or one of another length, is invalid; trace_id and span_id are required.
  if (!isValidOtelTraceId(traceId)) return `span "${raw.name ?? ''}": invalid trace_id "${traceId}"`;
  if (!isValidSpanId(spanId)) return `span "${raw.name ?? ''}": invalid span_id "${spanId}"`;
  if (parent !== '' && parent.length !== 16) return `span "${raw.name ?? ''}": invalid parent_span_id`;
  const start = BigInt(raw.startTimeUnixNano ?? 0);
  const end = BigInt(raw.endTimeUnixNano ?? 0);
  const kind = enumNumber(raw.kind, KIND_ENUM_NAMES);
  return {
    traceId,
    spanId,
    parentSpanId: parent === '' ? undefined : parent,
    traceState: raw.traceState ?? '',
    name: raw.name ?? '',
    kind,
    kindName: KIND_NAMES[kind] ?? 'UNSPECIFIED',
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    durationMs: Number(end - start) / 1e6,
    attributes: flattenAttributes(raw.attributes),
    events: (raw.events ?? []).map((event) => ({
      name: event.name ?? '',
      timeUnixNano: BigInt(event.timeUnixNano ?? 0).toString(),
      attributes: flattenAttributes(event.attributes),
    })),
    links: (raw.links ?? []).map((link) => ({
      traceId: idToHex(link.traceId),
      spanId: idToHex(link.spanId),
      traceState: link.traceState ?? '',
      attributes: flattenAttributes(link.attributes),
    })),
    status: { code: enumNumber(raw.status?.code, STATUS_NAMES), message: raw.status?.message ?? '' },
    flags: raw.flags ?? 0,
    resource,
    scope,
    receivedAt,
  };
}

/** OTLP/JSON spells ids as hex (not base64, unlike the generic protobuf JSON mapping). */
function idToHex(id: RawId): string {
  if (id === undefined) return '';
  if (typeof id === 'string') return id.toLowerCase();
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}

/** OTLP/JSON requires integers for enums; names are accepted too, as the collector does. */
function enumNumber(value: number | string | undefined, names: string[]): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const index = names.indexOf(value);
    return index >= 0 ? index : Number(value) || 0;
  }
  return 0;
}

/** Flattens `KeyValue[]` to an object; a repeated key keeps the last value. */
export function flattenAttributes(list: RawKeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) out[kv.key ?? ''] = anyValue(kv.value);
  return out;
}

/** int64 becomes a number when it is a safe integer, else its decimal string (no precision lost). */
function anyValue(value: RawAnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) {
    const big = BigInt(value.intValue);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(big)
      : big.toString();
  }
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(anyValue);
  if (value.kvlistValue !== undefined) return flattenAttributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) {
    return typeof value.bytesValue === 'string'
      ? new Uint8Array(Buffer.from(value.bytesValue, 'base64'))
      : new Uint8Array(value.bytesValue);
  }
  return null;
}
