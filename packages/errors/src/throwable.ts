import { type RedactionPolicy, redactValue } from '@sightline/core';

/** The name Rollbar shows as the exception class of a thrown value that is not an Error. */
export const NON_ERROR_NAME = 'NonErrorThrown';

/**
 * Turns anything that can be thrown into an Error Rollbar can parse. An Error (from any realm,
 * so also an object with `name`, `message` and `stack`) stays as is; a string becomes the message;
 * `null`, numbers and objects get a readable, redacted description. The stack then points at the
 * `report()` call, the best place left.
 */
export function toReportableError(
  value: unknown,
  policy: RedactionPolicy,
  stackFrom: Function = toReportableError,
): { error: Error; thrown?: unknown } {
  if (value instanceof Error) return { error: value };
  if (isErrorLike(value)) {
    const error = new Error(value.message);
    error.name = typeof value.name === 'string' && value.name ? value.name : 'Error';
    if (typeof value.stack === 'string') error.stack = value.stack;
    return { error };
  }
  let message: string;
  if (typeof value === 'string') message = value === '' ? 'empty string thrown' : value;
  else if (value === null || value === undefined) message = `${value} thrown`;
  else if (typeof value === 'object') message = `object thrown: ${summarize(redactValue(value, policy))}`;
  else message = `${typeof value} thrown: ${String(value)}`;
  const error = new Error(message);
  error.name = NON_ERROR_NAME;
  // Drop the frames inside this package (up to `stackFrom`, i.e. report()) so the top frame is its caller.
  Error.captureStackTrace?.(error, stackFrom);
  return {
    error,
    thrown: typeof value === 'object' && value !== null ? redactValue(value, policy) : undefined,
  };
}

function isErrorLike(value: unknown): value is { name?: unknown; message: string; stack?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { stack?: unknown }).stack === 'string'
  );
}

function summarize(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = '[unserializable]';
  }
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
