import {
  defaultRedactionPolicy,
  describeValue,
  type Env,
  EnvReader,
  type EnvWarning,
  OptionChecker,
  type Resolution,
  type SharedSettings,
} from '@sightline/core';
import type { ErrorsOptions, GetCorrelation, OnReported, ResolvedErrorsConfig } from './types';

export const DEFAULT_ENDPOINT = 'https://api.rollbar.com/api/1/item/';
export const DEFAULT_HONEYCOMB_TRACE_LINK =
  'https://ui.honeycomb.io/{team}/environments/{environment}/datasets/{dataset}/trace?trace_id={trace_id}';
export const DEFAULT_XRAY_TRACE_LINK =
  'https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#xray:traces/{xray_trace_id}';

/** Defaults of the numeric limits; `itemsPerMinute` is Rollbar's own default. */
export const ERRORS_DEFAULTS = {
  environment: 'production',
  itemsPerMinute: 60,
  maxQueueSize: 100,
  maxBodyBytes: 8192,
  requestTimeoutMs: 5000,
  maxRetries: 3,
  flushTimeoutMs: 5000,
  processFlushTimeoutMs: 2000,
} as const;

const ROLLBAR_VARS = ['ROLLBAR_ENVIRONMENT', 'ROLLBAR_ENDPOINT', 'ROLLBAR_CODE_VERSION', 'ROLLBAR_ROOT'];

/**
 * Resolves the errors backend's configuration: option > environment variable > default. Pure: it never
 * throws and never prints; invalid options come back as `problems`, invalid variables as `warnings`.
 */
export function resolveErrorsConfig(
  options: ErrorsOptions | false | undefined,
  env: Env,
  shared: SharedSettings = {},
): Resolution<ResolvedErrorsConfig> {
  const reader = new EnvReader(env);
  const check = new OptionChecker([], 'errors');
  const isObject = typeof options === 'object' && options !== null;
  const opts: ErrorsOptions = isObject ? options : {};
  if (options !== false && options !== undefined && !isObject) {
    check.problems.push({ path: 'errors', expected: 'an object or false', received: describeValue(options) });
  }

  const int = (name: keyof ErrorsOptions, min: number, max: number) =>
    check.number(name, opts[name], { integer: true, min, max });
  const optToken = check.string('accessToken', opts.accessToken);
  const accessToken = optToken ?? reader.string('ROLLBAR_ACCESS_TOKEN');
  const environment =
    check.string('environment', opts.environment) ??
    reader.string('ROLLBAR_ENVIRONMENT') ??
    shared.environment ??
    reader.string('NODE_ENV') ??
    ERRORS_DEFAULTS.environment;
  const links = opts.links ?? {};
  const linkCheck = check.at('links');
  const template = (name: 'honeycombTrace' | 'xrayTrace', envName: string, fallback: string) => {
    const v = links[name];
    if (v === false) return undefined;
    return linkCheck.string(name, v) ?? reader.string(envName) ?? fallback;
  };

  const config: ResolvedErrorsConfig = {
    enabled: false,
    accessToken,
    environment,
    codeVersion:
      check.string('codeVersion', opts.codeVersion) ??
      reader.string('ROLLBAR_CODE_VERSION') ??
      shared.serviceVersion,
    root: check.string('root', opts.root) ?? reader.string('ROLLBAR_ROOT'),
    endpoint: check.url('endpoint', opts.endpoint) ?? reader.url('ROLLBAR_ENDPOINT', DEFAULT_ENDPOINT)!,
    itemsPerMinute:
      int('itemsPerMinute', 1, 100_000) ??
      reader.number(
        'SIGHTLINE_ROLLBAR_ITEMS_PER_MINUTE',
        { integer: true, min: 1, max: 100_000 },
        ERRORS_DEFAULTS.itemsPerMinute,
      )!,
    maxQueueSize: int('maxQueueSize', 1, 100_000) ?? ERRORS_DEFAULTS.maxQueueSize,
    maxBodyBytes: int('maxBodyBytes', 0, 1_000_000) ?? ERRORS_DEFAULTS.maxBodyBytes,
    requestTimeoutMs: int('requestTimeoutMs', 1, 600_000) ?? ERRORS_DEFAULTS.requestTimeoutMs,
    maxRetries: int('maxRetries', 0, 20) ?? ERRORS_DEFAULTS.maxRetries,
    flushTimeoutMs: int('flushTimeoutMs', 0, 600_000) ?? ERRORS_DEFAULTS.flushTimeoutMs,
    processFlushTimeoutMs: int('processFlushTimeoutMs', 0, 600_000) ?? ERRORS_DEFAULTS.processFlushTimeoutMs,
    captureProcessErrors:
      check.boolean('captureProcessErrors', opts.captureProcessErrors) ??
      reader.boolean('SIGHTLINE_ROLLBAR_CAPTURE_UNCAUGHT', false)!,
    captureIp: check.boolean('captureIp', opts.captureIp) ?? true,
    scrubFields: stringList(check, 'scrubFields', opts.scrubFields),
    scrubHeaders: stringList(check, 'scrubHeaders', opts.scrubHeaders),
    links: {
      honeycombTrace: template(
        'honeycombTrace',
        'SIGHTLINE_ROLLBAR_HONEYCOMB_LINK',
        DEFAULT_HONEYCOMB_TRACE_LINK,
      ),
      xrayTrace: template('xrayTrace', 'SIGHTLINE_ROLLBAR_XRAY_LINK', DEFAULT_XRAY_TRACE_LINK),
      team: linkCheck.string('team', links.team) ?? reader.string('SIGHTLINE_HONEYCOMB_TEAM'),
      dataset:
        linkCheck.string('dataset', links.dataset) ??
        reader.string('SIGHTLINE_HONEYCOMB_DATASET') ??
        shared.serviceName,
      region:
        linkCheck.string('region', links.region) ?? reader.firstString('AWS_REGION', 'AWS_DEFAULT_REGION'),
    },
    serviceName: shared.serviceName,
    redaction: shared.redaction ?? defaultRedactionPolicy,
    getCorrelation: check.function<GetCorrelation>('getCorrelation', opts.getCorrelation),
    onReported: check.function<OnReported>('onReported', opts.onReported),
  };

  const warnings: EnvWarning[] = [...reader.warnings];
  let enabled = options !== false && accessToken !== undefined;
  let disabledReason: string | undefined;
  if (options === false) disabledReason = 'turned off by option';
  else if (accessToken === undefined) {
    disabledReason = 'no ROLLBAR_ACCESS_TOKEN';
    // Only a notice when the user showed intent (options or other ROLLBAR_* variables); silence otherwise.
    const intent = options !== undefined || ROLLBAR_VARS.some((v) => reader.string(v) !== undefined);
    if (intent) {
      warnings.push({
        variable: 'ROLLBAR_ACCESS_TOKEN',
        message:
          'errors: no Rollbar access token (ROLLBAR_ACCESS_TOKEN or errors.accessToken); error reporting is off',
      });
    }
  }
  if (check.problems.length > 0) enabled = false;
  return { config: { ...config, enabled, disabledReason }, problems: check.problems, warnings };
}

function stringList(check: OptionChecker, name: string, value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    check.problem(name, 'an array of non-empty strings', value);
    return [];
  }
  return value as string[];
}
