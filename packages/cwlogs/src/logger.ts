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
  isLevelEnabled(level: LogLevel): boolean;
}

interface LoggerState {
  sink: LogSink | undefined;
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
  options: LoggerOptions & { sink?: LogSink; write?: (line: string) => void } = {},
): Logger {
  const state: LoggerState = {
    sink: options.sink,
    console: options.console ?? options.sink === undefined,
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
  isLevelEnabled(level: LogLevel): boolean {
    return RANK[level] >= this.threshold.rank;
  }

  debug(msg: string, ...args: unknown[]): void {
    if (RANK.debug >= this.threshold.rank) this.log('debug', msg, args);
  }
  info(msg: string, ...args: unknown[]): void {
    if (RANK.info >= this.threshold.rank) this.log('info', msg, args);
  }
  warn(msg: string, ...args: unknown[]): void {
    if (RANK.warn >= this.threshold.rank) this.log('warn', msg, args);
  }
  error(msg: string, ...args: unknown[]): void {
    if (RANK.error >= this.threshold.rank) this.log('error', msg, args);
  }

  child(bindings: Record<string, unknown>): Logger {
    const own = isPlainObject(bindings)
      ? (redactValue(bindings, this.s.redaction) as Record<string, unknown>)
      : {};
    // The child shares its parent's threshold object: changing the parent's level changes the child's.
    return new SightlineLogger(this.s, { ...this.bindings, ...own }, this.threshold);
  }

  private log(level: LogLevel, msg: unknown, args: unknown[]): void {
    try {
      const timestamp = Date.now();
      const line = this.render(
        level,
        timestamp,
        typeof msg === 'string' ? msg : formatMessage('%s', [msg]),
        args,
      );
      if (this.s.sink) {
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

  private render(level: LogLevel, timestamp: number, msg: string, args: unknown[]): string {
    // Arguments past the placeholders: a trailing plain object is fields, an Error becomes `err`.
    let fields: Record<string, unknown> | undefined;
    let rest = args;
    const used = countPlaceholders(msg);
    if (args.length > used) {
      const lastArg = args[args.length - 1];
      if (isPlainObject(lastArg)) {
        fields = lastArg;
        rest = args.length === 1 ? NO_ARGS : args.slice(0, -1);
      } else if (lastArg instanceof Error) {
        fields = { err: lastArg };
        rest = args.length === 1 ? NO_ARGS : args.slice(0, -1);
      }
    }
    const message = redactText(formatMessage(msg, rest), this.s.messageRedaction);
    if (this.s.format === 'text') return message;
    const parts: LineParts = {
      iso: isoTime(timestamp),
      level,
      message,
      service: this.s.service,
      context: this.context(),
      bindings: this.bindings,
      fields,
    };
    this.bindingsJson ??= bindingsJson(this.bindings);
    return fastLine(parts, this.bindingsJson, this.s.redaction) ?? objectLine(parts, this.s.redaction);
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
