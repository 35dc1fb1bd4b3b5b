/**
 * The seam between the batcher and the AWS SDK. The batcher only knows these four calls; the real
 * implementation (`awsSender.ts`) loads `@aws-sdk/client-cloudwatch-logs` lazily, and tests fake it.
 * Errors are thrown as the SDK throws them: an `Error` whose `name` is the service's exception type.
 */
export interface InputLogEvent {
  timestamp: number;
  message: string;
}

export interface RejectedLogEventsInfo {
  /** First index (inclusive) of the events rejected as more than 2 h in the future. */
  tooNewLogEventStartIndex?: number;
  /** Events before this index (exclusive) were rejected as older than 14 days. */
  tooOldLogEventEndIndex?: number;
  /** Events before this index (exclusive) were rejected as older than the group's retention. */
  expiredLogEventEndIndex?: number;
}

export interface PutLogEventsResult {
  rejectedLogEventsInfo?: RejectedLogEventsInfo;
}

export interface SendOptions {
  /** Aborted when the request takes longer than `requestTimeoutMs` or on shutdown. */
  signal?: AbortSignal;
}

export interface LogsSender {
  putLogEvents(
    input: { logGroupName: string; logStreamName: string; logEvents: InputLogEvent[] },
    options?: SendOptions,
  ): Promise<PutLogEventsResult>;
  createLogGroup(
    input: { logGroupName: string; tags?: Record<string, string> },
    options?: SendOptions,
  ): Promise<void>;
  createLogStream(
    input: { logGroupName: string; logStreamName: string },
    options?: SendOptions,
  ): Promise<void>;
  putRetentionPolicy(
    input: { logGroupName: string; retentionInDays: number },
    options?: SendOptions,
  ): Promise<void>;
  /** Releases sockets. Optional. */
  destroy?(): void;
}

/** How the batcher reacts to a failed call. */
export type FailureKind =
  | 'not_found'
  | 'already_exists'
  | 'throttled'
  | 'retryable'
  | 'invalid'
  | 'credentials'
  | 'fatal';

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'AccessDeniedException',
  'AccessDenied',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'UnauthorizedException',
]);
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'LimitExceededException',
  'RequestLimitExceeded',
]);
const RETRYABLE_NAMES = new Set([
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'OperationAbortedException',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/** Classifies an error thrown by a `LogsSender` call. Unknown errors without an HTTP status are network errors: retried. */
export function classifyFailure(error: unknown): FailureKind {
  const e = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const status = e.$metadata?.httpStatusCode;
  if (name === 'ResourceNotFoundException') return 'not_found';
  if (name === 'ResourceAlreadyExistsException') return 'already_exists';
  if (CREDENTIAL_ERRORS.has(name) || status === 401 || status === 403) return 'credentials';
  if (THROTTLING.has(name) || status === 429) return 'throttled';
  if (name === 'LogGroupMissingError') return 'fatal';
  if (
    name === 'InvalidParameterException' ||
    name === 'SerializationException' ||
    name === 'DataAlreadyAcceptedException'
  )
    return 'invalid';
  if (RETRYABLE_NAMES.has(name) || NETWORK_CODES.has(code) || (status !== undefined && status >= 500))
    return 'retryable';
  if (status === undefined) return 'retryable';
  return 'fatal';
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
