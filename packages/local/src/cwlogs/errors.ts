import { randomUUID } from 'node:crypto';
import type { HttpReply } from '../httpServer';

/**
 * An error the way the CloudWatch Logs JSON 1.1 API answers it: status, `x-amzn-errortype` header and
 * `{"__type","message"}` body, which `@aws-sdk/client-cloudwatch-logs` maps to its typed exceptions.
 */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const notFoundGroup = () =>
  new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
export const notFoundStream = () =>
  new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');

/** `InvalidParameterException` with AWS's wording for a constraint failure ("1 validation error detected: …"). */
export function validationError(value: unknown, field: string, constraint: string): AwsError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return new AwsError(
    'InvalidParameterException',
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

export function awsJsonReply(
  status: number,
  body: unknown,
  operation: string,
  outcome: HttpReply['outcome'],
) {
  const reply: HttpReply = {
    status,
    contentType: 'application/x-amz-json-1.1',
    headers: { 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
    outcome,
    operation,
  };
  return reply;
}

export function awsErrorReply(error: AwsError, operation: string, outcome: HttpReply['outcome']): HttpReply {
  const reply = awsJsonReply(
    error.status,
    { __type: error.type, message: error.message },
    operation,
    outcome,
  );
  reply.headers = { ...reply.headers, 'x-amzn-errortype': `${error.type}:` };
  return reply;
}
