/** The largest UDP payload over IPv4 (65,535 − 8 UDP header − 20 IP header): the daemon cannot get more. */
export const MAX_DATAGRAM_BYTES = 65_507;

const HEX16 = /^[0-9a-fA-F]{16}$/;
const TRACE_ID = /^1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}$/;
// X-Ray segment names: up to 200 Unicode letters, numbers, whitespace and _ . : / % & # = + \ - @
const NAME = /^[\p{L}\p{N}\s_.:/%&#=+\\\-@]{1,200}$/u;
const ANNOTATION_KEY = /^[A-Za-z0-9_]{1,500}$/;

export type SegmentDocument = Record<string, unknown>;

export type DatagramResult =
  | { ok: true; document: SegmentDocument; kind: 'segment' | 'subsegment' }
  | { ok: false; reason: string; message: string };

class Invalid extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses and validates one daemon datagram: `{"format":"json","version":1}\n<document>`.
 * Rules are the X-Ray segment document's required keys and formats (see the package README).
 */
export function validateDatagram(datagram: Buffer, maxBytes = MAX_DATAGRAM_BYTES): DatagramResult {
  try {
    if (datagram.length > maxBytes) {
      throw new Invalid('too_large', `datagram of ${datagram.length} bytes exceeds ${maxBytes}`);
    }
    const text = datagram.toString('utf8');
    const newline = text.indexOf('\n');
    if (newline < 0)
      throw new Invalid('missing_header', 'no header line: expected {"format":"json","version":1}\\n');
    const header = parseObject(text.slice(0, newline), 'invalid_header');
    if (header.format !== 'json' || header.version !== 1) {
      throw new Invalid(
        'invalid_header',
        `header must be {"format":"json","version":1}, got ${text.slice(0, newline)}`,
      );
    }
    const document = parseObject(text.slice(newline + 1), 'invalid_json');
    if (document.type !== undefined && document.type !== 'subsegment') {
      throw new Invalid(
        'invalid_type',
        `type must be "subsegment" when present, got ${JSON.stringify(document.type)}`,
      );
    }
    const kind = document.type === 'subsegment' ? 'subsegment' : 'segment';
    validateEntity(document, '', true);
    if (
      kind === 'subsegment' &&
      (typeof document.parent_id !== 'string' || !HEX16.test(document.parent_id))
    ) {
      throw new Invalid('missing_parent_id', 'a subsegment document needs parent_id (16 hex digits)');
    }
    return { ok: true, document, kind };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
}

function parseObject(text: string, reason: string): SegmentDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Invalid(reason, `not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Invalid(reason, 'not a JSON object');
  }
  return value as SegmentDocument;
}

/** Validates a segment, a subsegment document, or an embedded subsegment (then `trace_id` is inherited). */
function validateEntity(entity: SegmentDocument, path: string, topLevel: boolean): void {
  const at = (key: string) => `${path}${key}`;
  if (typeof entity.name !== 'string' || !NAME.test(entity.name)) {
    throw new Invalid('invalid_name', `${at('name')} must be 1-200 letters, digits, spaces or _.:/%&#=+\\-@`);
  }
  if (typeof entity.id !== 'string' || !HEX16.test(entity.id)) {
    throw new Invalid('invalid_id', `${at('id')} must be 16 hex digits, got ${JSON.stringify(entity.id)}`);
  }
  if (topLevel || entity.trace_id !== undefined) {
    if (typeof entity.trace_id !== 'string' || !TRACE_ID.test(entity.trace_id)) {
      throw new Invalid(
        'invalid_trace_id',
        `${at('trace_id')} must be 1-<8 hex>-<24 hex>, got ${JSON.stringify(entity.trace_id)}`,
      );
    }
  }
  if (
    typeof entity.start_time !== 'number' ||
    !Number.isFinite(entity.start_time) ||
    entity.start_time <= 0
  ) {
    throw new Invalid('invalid_start_time', `${at('start_time')} must be epoch seconds (a number)`);
  }
  const inProgress = entity.in_progress === true;
  if (entity.end_time === undefined) {
    if (!inProgress)
      throw new Invalid('missing_end_time', `${at('end_time')} missing and in_progress is not true`);
  } else {
    if (inProgress)
      throw new Invalid('in_progress_with_end_time', `${at('in_progress')} is true but end_time is set`);
    if (typeof entity.end_time !== 'number' || !Number.isFinite(entity.end_time)) {
      throw new Invalid('invalid_end_time', `${at('end_time')} must be epoch seconds (a number)`);
    }
    if (entity.end_time < entity.start_time) {
      throw new Invalid('end_before_start', `${at('end_time')} is before start_time`);
    }
  }
  if (
    entity.parent_id !== undefined &&
    (typeof entity.parent_id !== 'string' || !HEX16.test(entity.parent_id))
  ) {
    throw new Invalid('invalid_parent_id', `${at('parent_id')} must be 16 hex digits`);
  }
  for (const flag of ['error', 'fault', 'throttle', 'in_progress']) {
    if (entity[flag] !== undefined && typeof entity[flag] !== 'boolean') {
      throw new Invalid('invalid_flag', `${at(flag)} must be a boolean`);
    }
  }
  validateAnnotations(entity.annotations, at('annotations'));
  const subsegments = entity.subsegments;
  if (subsegments !== undefined) {
    if (!Array.isArray(subsegments))
      throw new Invalid('invalid_subsegments', `${at('subsegments')} must be an array`);
    subsegments.forEach((sub: unknown, index) => {
      if (typeof sub !== 'object' || sub === null || Array.isArray(sub)) {
        throw new Invalid('invalid_subsegments', `${at(`subsegments[${index}]`)} must be an object`);
      }
      validateEntity(sub as SegmentDocument, `${at(`subsegments[${index}]`)}.`, false);
    });
  }
}

/** Annotations are indexed: keys alphanumeric or underscore, values string, number or boolean. */
function validateAnnotations(annotations: unknown, path: string): void {
  if (annotations === undefined) return;
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) {
    throw new Invalid('invalid_annotation', `${path} must be an object`);
  }
  for (const [key, value] of Object.entries(annotations)) {
    if (!ANNOTATION_KEY.test(key)) {
      throw new Invalid('invalid_annotation', `${path}.${key}: keys may only hold letters, digits and _`);
    }
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new Invalid('invalid_annotation', `${path}.${key}: values must be string, number or boolean`);
    }
  }
}
