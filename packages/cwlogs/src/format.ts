import { inspect } from 'node:util';

/**
 * printf-style formatting as Node's `util.format` and Python's `%` do it (`%s %d %i %f %j %o %O %c %%`),
 * but never throwing: BigInt, circular structures and throwing getters are rendered, not fatal.
 */
const INSPECT = {
  depth: 3,
  breakLength: Number.POSITIVE_INFINITY,
  maxArrayLength: 50,
  maxStringLength: 8192,
} as const;

/** How many arguments the placeholders of `msg` consume. */
export function countPlaceholders(msg: string): number {
  if (!msg.includes('%')) return 0;
  let n = 0;
  for (let i = 0; i < msg.length - 1; i++) {
    if (msg.charCodeAt(i) !== 37) continue; // '%'
    const c = msg[i + 1]!;
    if (c === '%') i++;
    else if ('sdifjoOc'.includes(c)) {
      n++;
      i++;
    }
  }
  return n;
}

export function safeJson(value: unknown): string {
  try {
    const seen = new WeakSet<object>();
    return (
      JSON.stringify(value, (_k, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      }) ?? 'undefined'
    );
  } catch {
    return '[Unserializable]';
  }
}

function str(value: unknown): string {
  try {
    if (typeof value === 'string') return value;
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'object' && value !== null) {
      if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
      return inspect(value, INSPECT);
    }
    return String(value);
  } catch {
    return '[Unprintable]';
  }
}

function num(value: unknown, integer: boolean): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) return 'NaN';
  const n = Number(value);
  return String(integer ? Math.trunc(n) : n);
}

/** Formats `msg` with `args`; arguments left over are appended, separated by spaces. */
export function formatMessage(msg: string, args: readonly unknown[]): string {
  if (args.length === 0 && !msg.includes('%')) return msg;
  let out = '';
  let a = 0;
  let last = 0;
  for (let i = 0; i < msg.length - 1; i++) {
    if (msg.charCodeAt(i) !== 37) continue;
    const c = msg[i + 1]!;
    let rendered: string | undefined;
    if (c === '%') rendered = '%';
    else if (a < args.length && 'sdifjoOc'.includes(c)) {
      const v = args[a++];
      if (c === 's') rendered = str(v);
      else if (c === 'd' || c === 'i') rendered = num(v, c === 'i');
      else if (c === 'f') rendered = num(v, false);
      else if (c === 'j') rendered = safeJson(v);
      else if (c === 'c') rendered = '';
      else rendered = safeInspect(v);
    }
    if (rendered === undefined) continue;
    out += msg.slice(last, i) + rendered;
    last = i + 2;
    i++;
  }
  out += msg.slice(last);
  for (; a < args.length; a++) out += ` ${str(args[a])}`;
  return out;
}

function safeInspect(v: unknown): string {
  try {
    return inspect(v, INSPECT);
  } catch {
    return '[Unprintable]';
  }
}

/** A plain object (literal or `Object.create(null)`): what the logger takes as fields. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * Cruddur's access-log timestamp, Python's `strftime('[%Y-%b-%d %H:%M]')`: `[2026-Nov-27 19:45]`.
 * Local time, as Python's `strftime` on `datetime.now()`; `utc: true` for UTC.
 */
export function accessLogTimestamp(date: Date = new Date(), utc = false): string {
  const y = utc ? date.getUTCFullYear() : date.getFullYear();
  const m = utc ? date.getUTCMonth() : date.getMonth();
  const d = utc ? date.getUTCDate() : date.getDate();
  const h = utc ? date.getUTCHours() : date.getHours();
  const min = utc ? date.getUTCMinutes() : date.getMinutes();
  return `[${y}-${MONTHS[m]}-${two(d)} ${two(h)}:${two(min)}]`;
}
