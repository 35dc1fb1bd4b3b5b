import { newEntityId } from './ids';

/** One stack frame as X-Ray shows it. */
export interface StackFrame {
  path: string | undefined;
  line: number;
  label: string;
}

/** An exception in a `cause`, in the SDK's key order (aws-xray-sdk-core `captured_exception.js`). */
export interface CapturedException {
  message: unknown;
  type: unknown;
  stack: StackFrame[];
  remote: boolean;
  id: string;
}

/**
 * A `cause`: the exceptions recorded on this entity, or a reference to the subsegment that first recorded
 * the same error (`{ id, exceptions: [] }` on a subsegment, `{ id }` on the segment, as the SDK writes them).
 */
export type Cause =
  | { working_directory: string; exceptions: CapturedException[] }
  | { id: string; exceptions?: CapturedException[] };

/** What a subsegment's error leaves on its segment, so that the parents recording it refer to it. */
export interface PropagatingError {
  ex: unknown;
  cause: string;
}

export function newCause(): Cause {
  return { working_directory: process.cwd(), exceptions: [] };
}

/** The SDK's accepted errors: an object or a string (anything else is not recorded at all). */
export function isRecordable(err: unknown): err is object | string {
  return err != null && (typeof err === 'object' || typeof err === 'string');
}

/**
 * The SDK's `CapturedException`, field for field: message, type (the error's name), the stack split
 * into frames (`at label (path:line:col)`), remote, a random id. Only the id generator differs (pooled).
 */
export function captureException(err: object | string): CapturedException {
  const e = (typeof err === 'string' || err instanceof String ? { message: err, name: '' } : err) as {
    message?: unknown;
    name?: unknown;
    stack?: unknown;
  };
  const captured: CapturedException = {
    message: e.message,
    type: e.name,
    stack: [],
    remote: false,
    id: newEntityId(),
  };
  if (e.stack) {
    // Throws like the SDK's when `stack` is not a string; addErrorTo catches it.
    const lines = (e.stack as string).split('\n');
    for (let i = 1; i < lines.length; i++) {
      let line = (lines[i] as string).trim().replace(/\(|\)/g, '');
      line = line.substring(line.indexOf(' ') + 1);
      const space = line.lastIndexOf(' ');
      const label = space >= 0 ? line.slice(0, space) : null;
      const path = line.slice(space + 1).split(':');
      captured.stack.push({
        path: path[0],
        // biome-ignore lint/correctness/useParseIntRadix: the SDK's own parse, kept exact ("0x…" is hex).
        line: Number.parseInt(path[1] as string),
        label: label || 'anonymous',
      });
    }
  }
  return captured;
}
