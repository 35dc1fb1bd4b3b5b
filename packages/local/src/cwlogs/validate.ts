import { AwsError, validationError } from './errors';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_NAME = /^[^:*]*$/;

/** Retention values `PutRetentionPolicy` accepts (API reference). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Limits of `PutLogEvents` (API reference and quotas page). */
export const PUT_LIMITS = {
  maxBatchBytes: 1_048_576,
  perEventOverheadBytes: 26,
  maxEvents: 10_000,
  maxSpanMs: 24 * 3_600_000,
  tooNewMs: 2 * 3_600_000,
  tooOldMs: 14 * 86_400_000,
};

export function requireGroupName(value: unknown, field = 'logGroupName'): string {
  if (value === undefined || value === null) throw validationError(value, field, 'Member must not be null');
  if (typeof value !== 'string') throw new AwsError('SerializationException', `${field} must be a string`);
  if (value.length < 1)
    throw validationError(value, field, 'Member must have length greater than or equal to 1');
  if (value.length > 512)
    throw validationError(value, field, 'Member must have length less than or equal to 512');
  if (!GROUP_NAME.test(value)) {
    throw validationError(
      value,
      field,
      'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
    );
  }
  return value;
}

export function requireStreamName(value: unknown, field = 'logStreamName'): string {
  if (value === undefined || value === null) throw validationError(value, field, 'Member must not be null');
  if (typeof value !== 'string') throw new AwsError('SerializationException', `${field} must be a string`);
  if (value.length < 1)
    throw validationError(value, field, 'Member must have length greater than or equal to 1');
  if (value.length > 512)
    throw validationError(value, field, 'Member must have length less than or equal to 512');
  if (!STREAM_NAME.test(value))
    throw validationError(value, field, 'Member must satisfy regular expression pattern: [^:*]*');
  return value;
}

/** An optional integer in [min, max]; `undefined` when absent. */
export function optionalInt(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new AwsError('SerializationException', `${field} must be an integer`);
  }
  if (value < min)
    throw validationError(value, field, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError(value, field, `Member must have value less than or equal to ${max}`);
  return value;
}

export interface InputLogEvent {
  timestamp: number;
  message: string;
}

/**
 * Checks a `PutLogEvents` batch against the rules that fail the whole request: 1..10,000 events,
 * each a (timestamp, non-empty message), each event and the batch within the byte limits
 * (message UTF-8 bytes + 26 per event), chronological order, at most 24 h between first and last.
 */
export function validateBatch(value: unknown, maxEventBytes: number): InputLogEvent[] {
  if (value === undefined || value === null)
    throw validationError(value, 'logEvents', 'Member must not be null');
  if (!Array.isArray(value)) throw new AwsError('SerializationException', 'logEvents must be a list');
  if (value.length < 1) {
    throw validationError('[]', 'logEvents', 'Member must have length greater than or equal to 1');
  }
  if (value.length > PUT_LIMITS.maxEvents) {
    throw validationError(
      `[${value.length} events]`,
      'logEvents',
      `Member must have length less than or equal to ${PUT_LIMITS.maxEvents}`,
    );
  }
  let batchBytes = 0;
  const events: InputLogEvent[] = value.map((raw: unknown, index) => {
    const field = `logEvents.${index + 1}.member`;
    if (typeof raw !== 'object' || raw === null)
      throw new AwsError('SerializationException', `${field} must be an object`);
    const { timestamp, message } = raw as Record<string, unknown>;
    if (timestamp === undefined || timestamp === null) {
      throw validationError(timestamp, `${field}.timestamp`, 'Member must not be null');
    }
    if (typeof timestamp !== 'number' || !Number.isInteger(timestamp)) {
      throw new AwsError(
        'SerializationException',
        `${field}.timestamp must be an integer (ms since the epoch)`,
      );
    }
    if (message === undefined || message === null) {
      throw validationError(message, `${field}.message`, 'Member must not be null');
    }
    if (typeof message !== 'string')
      throw new AwsError('SerializationException', `${field}.message must be a string`);
    if (message.length < 1) {
      throw validationError(
        message,
        `${field}.message`,
        'Member must have length greater than or equal to 1',
      );
    }
    const eventBytes = Buffer.byteLength(message, 'utf8') + PUT_LIMITS.perEventOverheadBytes;
    if (eventBytes > maxEventBytes) {
      throw new AwsError(
        'InvalidParameterException',
        `Log event too large: ${eventBytes} bytes exceeds limit of ${maxEventBytes}`,
      );
    }
    batchBytes += eventBytes;
    return { timestamp, message };
  });
  if (batchBytes > PUT_LIMITS.maxBatchBytes) {
    throw new AwsError(
      'InvalidParameterException',
      `Upload too large: ${batchBytes} bytes exceeds limit of ${PUT_LIMITS.maxBatchBytes}`,
    );
  }
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) {
      throw new AwsError(
        'InvalidParameterException',
        'Log events in a single PutLogEvents request must be in chronological order.',
      );
    }
  }
  if (events[events.length - 1]!.timestamp - events[0]!.timestamp > PUT_LIMITS.maxSpanMs) {
    throw new AwsError(
      'InvalidParameterException',
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
  }
  return events;
}

/** `rejectedLogEventsInfo` of a sorted batch: a too-old / expired prefix and a too-new suffix. */
export interface RejectedLogEventsInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

export function classifyEvents(
  events: InputLogEvent[],
  now: number,
  retentionInDays: number | undefined,
): RejectedLogEventsInfo {
  const info: RejectedLogEventsInfo = {};
  const tooOldBefore = now - PUT_LIMITS.tooOldMs;
  const expiredBefore = retentionInDays === undefined ? undefined : now - retentionInDays * 86_400_000;
  let tooOldEnd = 0;
  let expiredEnd = 0;
  events.forEach((event, index) => {
    if (event.timestamp < tooOldBefore) tooOldEnd = index + 1;
    if (expiredBefore !== undefined && event.timestamp < expiredBefore) expiredEnd = index + 1;
  });
  const tooNewStart = events.findIndex((event) => event.timestamp > now + PUT_LIMITS.tooNewMs);
  if (tooOldEnd > 0) info.tooOldLogEventEndIndex = tooOldEnd;
  if (expiredEnd > 0) info.expiredLogEventEndIndex = expiredEnd;
  if (tooNewStart >= 0) info.tooNewLogEventStartIndex = tooNewStart;
  return info;
}

/**
 * Checks the shape of the SigV4 `authorization` header (the signature itself is not verified):
 * `AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/logs/aws4_request, SignedHeaders=…, Signature=<64 hex>`.
 */
export function checkAuthorization(header: string | undefined): void {
  if (!header) throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/logs\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      header,
    );
  if (!match) {
    throw new AwsError(
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' for service 'logs' (AWS4-HMAC-SHA256).",
    );
  }
}
