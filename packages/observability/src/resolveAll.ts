import type { ConfigProblem, Env, EnvWarning, Resolution, SharedSettings } from '@sightline/core';
import { type ResolvedCloudWatchLogsConfig, resolveCloudWatchLogsConfig } from '@sightline/cwlogs/config';
import { type ResolvedErrorsConfig, resolveErrorsConfig } from '@sightline/errors/config';
import { type ResolvedTracingConfig, resolveTracingConfig } from '@sightline/tracing/config';
import { type ResolvedXRayConfig, resolveXRayConfig } from '@sightline/xray/config';
import type { ObservabilityOptions } from './options';
import { type ResolvedCommonConfig, resolveCommonConfig } from './resolveConfig';

export interface ResolvedConfig {
  readonly common: ResolvedCommonConfig;
  readonly tracing: ResolvedTracingConfig;
  readonly xray: ResolvedXRayConfig;
  readonly cwlogs: ResolvedCloudWatchLogsConfig;
  readonly errors: ResolvedErrorsConfig;
}

/**
 * The whole configuration in one pure function: the common settings, then each backend's own
 * resolver with the shared settings. Every explicit-option problem and every environment warning
 * of every backend is returned together.
 */
export function resolveConfig(
  options: ObservabilityOptions = {},
  env: Env = {},
): { config: ResolvedConfig; problems: ConfigProblem[]; warnings: EnvWarning[] } {
  const common = resolveCommonConfig(options, env);
  const shared: SharedSettings = common.config.shared;
  const opts = typeof options === 'object' && options !== null ? options : {};
  const tracing = resolveTracingConfig(opts.tracing, env, shared);
  const xray = resolveXRayConfig(opts.xray, env, shared);
  const cwlogs = resolveCloudWatchLogsConfig(withAwsSettingsFrom(env, opts.cwlogs), env, shared);
  const errors = resolveErrorsConfig(opts.errors, env, shared);
  const parts: Resolution<unknown>[] = [common, tracing, xray, cwlogs, errors];
  return {
    config: {
      common: common.config,
      tracing: tracing.config,
      xray: xray.config,
      cwlogs: cwlogs.config,
      errors: errors.config,
    },
    problems: parts.flatMap((p) => p.problems),
    warnings: parts.flatMap((p) => p.warnings),
  };
}

/**
 * The AWS SDK reads its region, endpoint and credentials from `process.env`. When the configuration
 * comes from another env object (tests, embedding), hand the same standard variables to the client,
 * so both paths behave alike. Explicit options still win.
 */
function withAwsSettingsFrom(
  env: Env,
  options: ObservabilityOptions['cwlogs'],
): ObservabilityOptions['cwlogs'] {
  if (options === false || env === process.env) return options;
  // Turned off by its own switch: stay off (an options object would read as "configured").
  if (options === undefined && /^(false|0|no|off)$/i.test(env.SIGHTLINE_CWLOGS_ENABLED?.trim() ?? ''))
    return options;
  const o = options ?? {};
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  const endpoint = env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS?.trim() || env.AWS_ENDPOINT_URL?.trim();
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  const sessionToken = env.AWS_SESSION_TOKEN?.trim();
  return {
    ...o,
    region: o.region ?? region,
    endpoint: o.endpoint ?? endpoint,
    credentials:
      o.credentials ??
      (accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
        : undefined),
  };
}
