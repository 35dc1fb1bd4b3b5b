import { defaultRedactionPolicy, diagnostics, type RedactionPolicy, redactValue } from '@sightline/core';
import { redactText } from './fastRedact';
import { countPlaceholders, formatMessage, isPlainObject } from './format';
import { type BindingsJson, bindingsJson, fastLine, type LineParts, objectLine } from './jsonLine';
import type { LogFormat, LoggerOptions, LogLevel } from './options';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One formatted line, as handed to a sink (the batcher). */
export interface LogRecord {
  line: string;
  timestamp: number;
  level: LogLevel;
  group?: string;
  stream?: string;
}

/** Where a logger's lines go besides the console. */
export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(msg: string, ...args: unknown[]): void;
  info(msg: string, ...args: unknown[]): void;
  warn(msg: string, ...args: unknown[]): void;
  error(msg: string, ...args: unknown[]): void;
  /** A logger whose lines all carry `bindings`; level and sinks are shared at creation. */
  child(bindings: Record<string, unknown>): Logger;
  /** Threshold: calls below it cost one comparison. */
  level: LogLevel;
  /** Whether a line at `level` would be written: at or above the threshold, and some output is on. */
  isLevelEnabled(level: LogLevel): boolean;
}

/** The backend's sink: the line and its destination, without a record object per call. */
export type LinePut = (
  line: string,
  timestamp: number,
  group: string | undefined,
  stream: string | undefined,
) => void;

interface LoggerState {
  sink: LogSink | undefined;
  put: LinePut | undefined;
  console: boolean;
  format: LogFormat;
  service: string | undefined;
  contextFields: (() => Record<string, unknown> | undefined) | undefined;
  redaction: RedactionPolicy;
  /** The same policy without the string-length cap: a long message is split by the batcher, not cut. */
  messageRedaction: RedactionPolicy;
  group: string | undefined;
  stream: string | undefined;
  write: (line: string) => void;
}

const diag = diagnostics('cwlogs');

/**
 * Creates a logger. With a `sink` (the batcher's), lines go to CloudWatch and, when `console` is
 * true, to stdout too; without one they go to stdout. Never throws into the caller.
 */
export function createLogger(
  options: LoggerOptions & { sink?: LogSink; put?: LinePut; write?: (line: string) => void } = {},
): Logger {
  const state: LoggerState = {
    sink: options.sink,
    put: options.put,
    console: options.console ?? (options.sink === undefined && options.put === undefined),
    format: options.format ?? 'json',
    service: options.serviceName,
    contextFields: options.contextFields,
    redaction: options.redaction ?? defaultRedactionPolicy,
    messageRedaction: {
      ...(options.redaction ?? defaultRedactionPolicy),
      maxStringLength: Number.POSITIVE_INFINITY,
    },
    group: options.group,
    stream: options.stream,
    write: options.write ?? ((line) => process.stdout.write(`${line}\n`)),
  };
  const bindings = options.bindings
    ? (redactValue(options.bindings, state.redaction) as Record<string, unknown>)
    : undefined;
  return new SightlineLogger(state, bindings, { rank: RANK[options.level ?? 'info'] });
}

const NO_ARGS: unknown[] = [];

function restOf(args: IArguments): unknown[] {
  const out = new Array<unknown>(args.length - 1);
  for (let i = 1; i < args.length; i++) out[i - 1] = args[i];
  return out;
}

// One `LineParts` reused by every line (a getter that logs while a line is written gets its own).
const spareParts: LineParts = {
  iso: '',
  level: '',
  message: '',
  service: undefined,
  context: undefined,
  bindings: undefined,
  fields: undefined,
};
let sparePartsBusy = false;

function takeParts(): LineParts {
  if (sparePartsBusy) return { ...spareParts };
  sparePartsBusy = true;
  return spareParts;
}

function releaseParts(p: LineParts): void {
  if (p !== spareParts) return;
  // Nothing of the caller's is kept alive until the next line.
  p.context = undefined;
  p.bindings = undefined;
  p.fields = undefined;
  sparePartsBusy = false;
}

class SightlineLogger implements Logger {
  // The bindings' JSON fragment, made on the first line (`null`: they need the object path).
  private bindingsJson: BindingsJson | null | undefined;

  constructor(
    private readonly s: LoggerState,
    private readonly bindings: Record<string, unknown> | undefined,
    private readonly threshold: { rank: number },
  ) {}

  get level(): LogLevel {
    return LOG_LEVELS.find((l) => RANK[l] === this.threshold.rank) ?? 'info';
  }
  set level(level: LogLevel) {
    if (RANK[level] !== undefined) this.threshold.rank = RANK[level];
  }
  /** Whether a line at `level` would go anywhere: at or above the threshold, and some output is on. */
  isLevelEnabled(level: LogLevel): boolean {
    return RANK[level] >= this.threshold.rank && this.writes();
  }

  /** No batcher, no sink, no console: nothing would be written, so nothing is formatted. */
  private writes(): boolean {
    return this.s.put !== undefined || this.s.sink !== undefined || this.s.console;
  }

  // Two optional parameters instead of a rest array: the common calls (`info(msg)`, `info(msg, fields)`)
  // allocate no argument array; longer calls copy `arguments` (`Logger` keeps its `...args` type).
  debug(msg: string, a?: unknown, b?: unknown): void {
    if (RANK.debug < this.threshold.rank) return;
    // biome-ignore lint/complexity/noArguments: counted without a rest array
    const n = arguments.length - 1;
    // biome-ignore lint/complexity/noArguments: copied only past two arguments
    this.log('debug', msg, n, a, b, n > 2 ? restOf(arguments) : NO_ARGS);
  }
  info(msg: string, a?: unknown, b?: unknown): void {
    if (RANK.info < this.threshold.rank) return;
    // biome-ignore lint/complexity/noArguments: counted without a rest array
    const n = arguments.length - 1;
    // biome-ignore lint/complexity/noArguments: copied only past two arguments
    this.log('info', msg, n, a, b, n > 2 ? restOf(arguments) : NO_ARGS);
  }
  warn(msg: string, a?: unknown, b?: unknown): void {
    if (RANK.warn < this.threshold.rank) return;
    // biome-ignore lint/complexity/noArguments: counted without a rest array
    const n = arguments.length - 1;
    // biome-ignore lint/complexity/noArguments: copied only past two arguments
    this.log('warn', msg, n, a, b, n > 2 ? restOf(arguments) : NO_ARGS);
  }
  error(msg: string, a?: unknown, b?: unknown): void {
    if (RANK.error < this.threshold.rank) return;
    // biome-ignore lint/complexity/noArguments: counted without a rest array
    const n = arguments.length - 1;
    // biome-ignore lint/complexity/noArguments: copied only past two arguments
    this.log('error', msg, n, a, b, n > 2 ? restOf(arguments) : NO_ARGS);
  }

  child(bindings: Record<string, unknown>): Logger {
    const own = isPlainObject(bindings)
      ? (redactValue(bindings, this.s.redaction) as Record<string, unknown>)
      : {};
    // The child shares its parent's threshold object: changing the parent's level changes the child's.
    return new SightlineLogger(this.s, { ...this.bindings, ...own }, this.threshold);
  }

  /** `n` arguments after the message: `a`, `b`, and all of them in `all` when there are more than two. */
  private log(level: LogLevel, msg: unknown, n: number, a: unknown, b: unknown, all: unknown[]): void {
    if (!this.writes()) return;
    try {
      const timestamp = Date.now();
      const line = this.render(
        level,
        timestamp,
        typeof msg === 'string' ? msg : formatMessage('%s', [msg]),
        n,
        a,
        b,
        all,
      );
      if (this.s.put) this.s.put(line, timestamp, this.s.group, this.s.stream);
      else if (this.s.sink) {
        const record: LogRecord = { line, timestamp, level };
        if (this.s.group !== undefined) record.group = this.s.group;
        if (this.s.stream !== undefined) record.stream = this.s.stream;
        this.s.sink(record);
      }
      if (this.s.console) this.s.write(line);
    } catch (error) {
      diag.warnOnce('log-failed', `a log call could not be formatted: ${String(error)}`);
    }
  }

  private render(
    level: LogLevel,
    timestamp: number,
    msg: string,
    n: number,
    a: unknown,
    b: unknown,
    all: unknown[],
  ): string {
    // Arguments past the placeholders: a trailing plain object is fields, an Error becomes `err`.
    let fields: Record<string, unknown> | undefined;
    let used = Math.max(n, 0);
    if (used > countPlaceholders(msg)) {
      const lastArg = used === 1 ? a : used === 2 ? b : all[used - 1];
      if (isPlainObject(lastArg)) {
        fields = lastArg;
        used--;
      } else if (lastArg instanceof Error) {
        fields = { err: lastArg };
        used--;
      }
    }
    const rest =
      used === 0 ? NO_ARGS : n > 2 ? (used === n ? all : all.slice(0, used)) : used === 1 ? [a] : [a, b];
    const message = redactText(formatMessage(msg, rest), this.s.messageRedaction);
    if (this.s.format === 'text') return message;
    const parts = takeParts();
    parts.iso = isoTime(timestamp);
    parts.level = level;
    parts.message = message;
    parts.service = this.s.service;
    parts.context = this.context();
    parts.bindings = this.bindings;
    parts.fields = fields;
    try {
      this.bindingsJson ??= bindingsJson(this.bindings);
      return fastLine(parts, this.bindingsJson, this.s.redaction) ?? objectLine(parts, this.s.redaction);
    } finally {
      releaseParts(parts);
    }
  }

  private context(): Record<string, unknown> | undefined {
    if (!this.s.contextFields) return undefined;
    try {
      return this.s.contextFields();
    } catch {
      return undefined;
    }
  }
}

// Many lines share a millisecond: format its ISO string once.
let lastMs = Number.NaN;
let lastIso = '';
function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
