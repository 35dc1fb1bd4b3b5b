/** Levels the item API accepts (API reference). */
export const ROLLBAR_LEVELS = ['critical', 'error', 'warning', 'info', 'debug'];
const BODY_KINDS = ['trace_chain', 'trace', 'message', 'crash_report'];

export type ItemResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; reason: string; message: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates an item body `{"data": {...}}`: `environment` (1–255 characters), `level` when present,
 * `timestamp` when present (integer seconds), and a `body` holding exactly one of `trace_chain`,
 * `trace`, `message`, `crash_report`, each with its required fields.
 */
export function validateItem(payload: unknown): ItemResult {
  const fail = (reason: string, message: string): ItemResult => ({ ok: false, reason, message });
  if (!isObject(payload) || !isObject(payload.data))
    return fail('missing_data', 'the body must be {"data": {...}}');
  const data = payload.data;
  if (typeof data.environment !== 'string' || data.environment.length < 1 || data.environment.length > 255) {
    return fail('invalid_environment', 'data.environment must be a string of 1-255 characters');
  }
  if (data.level !== undefined && (typeof data.level !== 'string' || !ROLLBAR_LEVELS.includes(data.level))) {
    return fail(
      'invalid_level',
      `data.level must be one of ${ROLLBAR_LEVELS.join(', ')}, got ${JSON.stringify(data.level)}`,
    );
  }
  if (data.timestamp !== undefined && !Number.isInteger(data.timestamp)) {
    return fail('invalid_timestamp', 'data.timestamp must be an integer (seconds since the epoch)');
  }
  if (!isObject(data.body)) return fail('missing_body', 'data.body must be an object');
  const kinds = BODY_KINDS.filter(
    (kind) => data.body && (data.body as Record<string, unknown>)[kind] !== undefined,
  );
  if (kinds.length !== 1) {
    return fail(
      'invalid_body',
      `data.body must hold exactly one of ${BODY_KINDS.join(', ')}; it holds ${kinds.length ? kinds.join(', ') : 'none'}`,
    );
  }
  const body = data.body;
  switch (kinds[0]) {
    case 'message':
      if (!isObject(body.message) || typeof body.message.body !== 'string') {
        return fail('invalid_message', 'data.body.message.body must be a string');
      }
      break;
    case 'crash_report':
      if (!isObject(body.crash_report) || typeof body.crash_report.raw !== 'string') {
        return fail('invalid_crash_report', 'data.body.crash_report.raw must be a string');
      }
      break;
    case 'trace': {
      const problem = traceProblem(body.trace, 'data.body.trace');
      if (problem) return fail('invalid_trace', problem);
      break;
    }
    default: {
      const chain = body.trace_chain;
      if (!Array.isArray(chain) || chain.length === 0) {
        return fail('invalid_trace', 'data.body.trace_chain must be a non-empty array of traces');
      }
      for (let i = 0; i < chain.length; i++) {
        const problem = traceProblem(chain[i], `data.body.trace_chain[${i}]`);
        if (problem) return fail('invalid_trace', problem);
      }
    }
  }
  return { ok: true, data };
}

/** A trace needs `exception.class` and a `frames` array whose frames name their `filename`. */
function traceProblem(trace: unknown, path: string): string | undefined {
  if (!isObject(trace)) return `${path} must be an object`;
  if (!isObject(trace.exception) || typeof trace.exception.class !== 'string') {
    return `${path}.exception.class must be a string`;
  }
  if (!Array.isArray(trace.frames)) return `${path}.frames must be an array`;
  const bad = trace.frames.findIndex((frame) => !isObject(frame) || typeof frame.filename !== 'string');
  return bad >= 0 ? `${path}.frames[${bad}].filename must be a string` : undefined;
}
