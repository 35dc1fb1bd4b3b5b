import {
  type ConfigProblem,
  createRedactionPolicy,
  DIAGNOSTICS_LEVELS,
  type DiagnosticsLevel,
  type Env,
  EnvReader,
  type EnvWarning,
  OptionChecker,
  type RedactionPolicy,
  type SharedSettings,
} from '@sightline/core';
import type { ObservabilityOptions } from './options';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const ACCESS_LOG_FORMATS = ['json', 'cruddur'] as const;

export interface ResolvedCommonConfig {
  readonly disabled: boolean;
  readonly shared: Required<Pick<SharedSettings, 'serviceName' | 'environment'>> &
    SharedSettings & { redaction: RedactionPolicy };
  readonly diagnosticsLevel: DiagnosticsLevel;
  readonly handleSignals: boolean;
  readonly shutdownTimeoutMs: number;
  readonly printSummary: boolean;
  readonly logger: {
    readonly level: (typeof LOG_LEVELS)[number];
    readonly console: boolean | undefined;
    readonly format: 'json' | 'text';
  };
  readonly accessLog: { readonly format: 'json' | 'cruddur' | false };
}

/**
 * The settings shared by every backend: option > environment variable > default. Pure: it reads only
 * `env`, throws nothing, and returns explicit-option problems and environment warnings for the caller.
 */
export function resolveCommonConfig(
  options: ObservabilityOptions = {},
  env: Env = {},
): { config: ResolvedCommonConfig; problems: ConfigProblem[]; warnings: EnvWarning[] } {
  const check = new OptionChecker();
  const read = new EnvReader(env);

  if (typeof options !== 'object' || options === null) {
    check.problem('options', 'an object', options);
    options = {};
  }

  // SIGHTLINE_DISABLED=true is the operator's kill switch: it beats even an explicit `disabled: false`.
  const disabledOption = check.boolean('disabled', options.disabled);
  const disabledEnv = read.boolean('SIGHTLINE_DISABLED');
  const disabled = disabledEnv === true || (disabledOption ?? disabledEnv ?? false);
  const serviceName =
    check.string('serviceName', options.serviceName) ??
    read.string('OTEL_SERVICE_NAME') ??
    'unknown_service:node';
  const serviceVersion =
    check.string('serviceVersion', options.serviceVersion) ??
    read.firstString('OTEL_SERVICE_VERSION', 'npm_package_version');
  const environment =
    check.string('environment', options.environment) ??
    read.firstString('SIGHTLINE_ENVIRONMENT', 'NODE_ENV') ??
    'production';
  const diagnosticsLevel =
    check.oneOf('diagnosticsLevel', options.diagnosticsLevel, DIAGNOSTICS_LEVELS) ??
    read.oneOf('SIGHTLINE_LOG_LEVEL', DIAGNOSTICS_LEVELS, 'warn') ??
    'warn';
  const handleSignals =
    check.boolean('handleSignals', options.handleSignals) ??
    read.boolean('SIGHTLINE_HANDLE_SIGNALS', true) ??
    true;
  const shutdownTimeoutMs =
    check.number('shutdownTimeoutMs', options.shutdownTimeoutMs, { min: 0, max: 600_000, integer: true }) ??
    read.number('SIGHTLINE_SHUTDOWN_TIMEOUT_MS', { min: 0, max: 600_000, integer: true }, 5000) ??
    5000;
  const printSummary =
    check.boolean('printSummary', options.printSummary) ?? read.boolean('SIGHTLINE_SUMMARY', true) ?? true;

  const loggerCheck = check.at('logger');
  const loggerOptions = objectOption(check, 'logger', options.logger);
  const logger = {
    level:
      loggerCheck.oneOf('level', loggerOptions.level, LOG_LEVELS) ??
      read.oneOf('SIGHTLINE_LOG_LEVEL_APP', LOG_LEVELS) ??
      read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info') ??
      'info',
    console: loggerCheck.boolean('console', loggerOptions.console) ?? read.boolean('SIGHTLINE_LOG_CONSOLE'),
    format: loggerCheck.oneOf('format', loggerOptions.format, ['json', 'text'] as const) ?? 'json',
  } as const;

  const accessLogOptions = objectOption(check, 'accessLog', options.accessLog);
  const accessLogFormat =
    accessLogOptions.format === false
      ? false
      : (check.at('accessLog').oneOf('format', accessLogOptions.format, ACCESS_LOG_FORMATS) ??
        read.oneOf('SIGHTLINE_ACCESS_LOG', [...ACCESS_LOG_FORMATS, 'off'] as const, 'json'));

  const redactionOptions = objectOption(check, 'redaction', options.redaction);
  const redactionCheck = check.at('redaction');
  for (const key of ['headerNames', 'fieldNames'] as const) {
    const list = redactionOptions[key];
    if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))) {
      redactionCheck.problem(key, 'an array of strings', list);
    }
  }
  if (
    redactionOptions.patterns !== undefined &&
    (!Array.isArray(redactionOptions.patterns) ||
      redactionOptions.patterns.some((p) => !(p instanceof RegExp)))
  ) {
    redactionCheck.problem('patterns', 'an array of RegExp', redactionOptions.patterns);
  }
  const redaction = safeRedactionPolicy(redactionOptions);

  const config: ResolvedCommonConfig = {
    disabled,
    shared: { serviceName, serviceVersion, environment, redaction },
    diagnosticsLevel,
    handleSignals,
    shutdownTimeoutMs,
    printSummary,
    logger,
    accessLog: {
      format: accessLogFormat === 'off' || accessLogFormat === undefined ? false : accessLogFormat,
    },
  };
  return { config, problems: check.problems, warnings: read.warnings };
}

function objectOption<T extends object>(
  check: OptionChecker,
  name: string,
  value: T | undefined,
): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    check.problem(name, 'an object', value);
    return {};
  }
  return value;
}

function safeRedactionPolicy(options: ObservabilityOptions['redaction'] & object): RedactionPolicy {
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
  return createRedactionPolicy({
    ...options,
    headerNames: strings(options.headerNames),
    fieldNames: strings(options.fieldNames),
    patterns: Array.isArray(options.patterns)
      ? options.patterns.filter((p) => p instanceof RegExp)
      : undefined,
  });
}
