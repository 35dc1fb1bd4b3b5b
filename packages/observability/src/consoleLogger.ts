import { format } from 'node:util';
import { defaultRedactionPolicy, type RedactionPolicy, redactValue } from '@sightline/core';
import type { Logger, LogLevel } from './types';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface ConsoleLoggerOptions {
  level: LogLevel;
  serviceName: string;
  redaction?: RedactionPolicy;
  contextFields?: () => Record<string, unknown> | undefined;
  write?: (line: string) => void;
}

/** The logger used when CloudWatch Logs is off: JSON lines on stdout, same fields as the CloudWatch events. */
export function createConsoleLogger(
  options: ConsoleLoggerOptions,
  bindings: Record<string, unknown> = {},
): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const policy = options.redaction ?? defaultRedactionPolicy;
  const log = (level: LogLevel, message: string, args: unknown[]) => {
    if (RANK[level] < RANK[options.level]) return;
    try {
      const last = args.at(-1);
      const fields = isPlainObject(last) ? (args.pop() as Record<string, unknown>) : undefined;
      const line = {
        timestamp: new Date().toISOString(),
        level,
        message: format(String(message), ...args),
        service: options.serviceName,
        ...(redactValue({ ...bindings, ...fields }, policy) as object),
        ...options.contextFields?.(),
      };
      write(JSON.stringify(line));
    } catch {
      // Logging never throws into the caller.
    }
  };
  return {
    debug: (m, ...a) => log('debug', m, a),
    info: (m, ...a) => log('info', m, a),
    warn: (m, ...a) => log('warn', m, a),
    error: (m, ...a) => log('error', m, a),
    child: (b) => createConsoleLogger(options, { ...bindings, ...b }),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
