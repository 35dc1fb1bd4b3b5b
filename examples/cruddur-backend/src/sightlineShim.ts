// TEMPORARY: the facade's public shape as agreed for issue 9, plus a no-op implementation, so the
// example compiles and its route tests run before `@sightline/observability` exports
// `initObservability`. Delete this file once the real types land (observability.ts says how).
import type { RequestHandler } from 'express';

export interface ObservabilitySpan {
  setAttribute(key: string, value: string | number | boolean): void;
  addAnnotation(key: string, value: string | number | boolean): void;
  addMetadata(key: string, value: unknown, namespace?: string): void;
}

export interface ObservabilitySubsegment {
  addAnnotation(key: string, value: string | number | boolean): void;
  addMetadata(key: string, value: unknown, namespace?: string): void;
}

export interface ObservabilityLogger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  child(bindings: Record<string, unknown>): ObservabilityLogger;
}

export interface ObservabilityOptions {
  serviceName?: string;
  cwlogs?: { logGroupName?: string } | false;
  xray?: { samplingRules?: string } | false;
  accessLog?: { format?: 'cruddur' } | false;
  logger?: { console?: boolean };
}

export interface Observability {
  logger: ObservabilityLogger;
  span<T>(name: string, fn: (span: ObservabilitySpan) => T, options?: { tracer?: string }): T;
  subsegment<T>(name: string, fn: (segment: ObservabilitySubsegment) => T): T;
  capture<H extends (...args: never[]) => unknown>(name: string, handler: H): H;
  express(): RequestHandler;
  errors: {
    message(message: string, level?: 'critical' | 'error' | 'warning' | 'info' | 'debug'): void;
    report(error: unknown, context?: { request?: unknown }): void;
  };
  shutdown(options?: { timeoutMs?: number }): Promise<unknown>;
  stats(): unknown;
  traceIds(): { traceId: string; xrayTraceId: string; spanId: string } | undefined;
}

const noopSpan: ObservabilitySpan = { setAttribute() {}, addAnnotation() {}, addMetadata() {} };

function consoleLogger(enabled: boolean): ObservabilityLogger {
  const write =
    (level: string) =>
    (message: string, ...args: unknown[]): void => {
      if (enabled) console.log(`${level.toUpperCase()} ${message}`, ...args);
    };
  const logger: ObservabilityLogger = {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: () => logger,
  };
  return logger;
}

/** No backends, only the console logger (when asked for and not disabled). */
export function initObservability(options: ObservabilityOptions = {}): Observability {
  const disabled = process.env.SIGHTLINE_DISABLED === 'true';
  return {
    logger: consoleLogger(!disabled && options.logger?.console === true),
    span: (_name, fn) => fn(noopSpan),
    subsegment: (_name, fn) => fn(noopSpan),
    capture: (_name, handler) => handler,
    express: () => (_req, _res, next) => next(),
    errors: { message() {}, report() {} },
    shutdown: async () => ({}),
    stats: () => ({}),
    traceIds: () => undefined,
  };
}
