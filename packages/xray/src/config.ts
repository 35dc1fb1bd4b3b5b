import {
  defaultRedactionPolicy,
  describeValue,
  type Env,
  EnvReader,
  OptionChecker,
  type RedactionPolicy,
  type Resolution,
  type SharedSettings,
} from '@sightline/core';
import { type DaemonAddress, DEFAULT_DAEMON_ADDRESS, parseDaemonAddress } from './daemonAddress';
import {
  DEFAULT_SAMPLING,
  loadSamplingRules,
  type SamplingRuleSet,
  type SamplingRulesInput,
} from './samplingRules';

export const CONTEXT_MISSING_STRATEGIES = ['LOG_ERROR', 'IGNORE_ERROR', 'RUNTIME_ERROR'] as const;
/** What happens when X-Ray work is attempted outside any segment. */
export type ContextMissingStrategy = (typeof CONTEXT_MISSING_STRATEGIES)[number];

/** The largest UDP payload over IPv4 (65,535 − 8 UDP header − 20 IP header). */
export const MAX_DATAGRAM_BYTES = 65_507;

export interface XRayOptions {
  /** `false` turns X-Ray off even when its environment variables are set. Default: on when configured. */
  enabled?: boolean;
  /** Segment name. Default: `AWS_XRAY_TRACING_NAME`, else the shared service name, else `OTEL_SERVICE_NAME`, else `unknown_service:node`. */
  serviceName?: string;
  /**
   * Dynamic naming: a Host glob (`*.example.com`); a request whose Host matches is named after the Host,
   * other requests after the service. Default: `AWS_XRAY_URL`, else off.
   */
  dynamicNaming?: string;
  /** `host:port` or `udp:host:port tcp:host:port`. Default: `AWS_XRAY_DAEMON_ADDRESS`, else `127.0.0.1:2000`. */
  daemonAddress?: string;
  /** Default: `AWS_XRAY_CONTEXT_MISSING`, else `LOG_ERROR` (one warning, never throws). */
  contextMissing?: ContextMissingStrategy;
  /**
   * Local sampling rules: a console/CLI `SamplingRule` object (as in `aws/json/xray.json`), the SDK's
   * `version: 2` rules object, or a path to a JSON file with either. Default: `SIGHTLINE_XRAY_SAMPLING_RULES`
   * (a path), else the SDK default (1 request per second, then 5 %).
   */
  samplingRules?: SamplingRulesInput;
  /**
   * Ask the daemon for the rules set in the X-Ray console (polled by the SDK), falling back to the local
   * rules while it does not answer. Default: `SIGHTLINE_XRAY_CENTRALIZED_SAMPLING`, else `false`.
   */
  centralizedSampling?: boolean;
  /** Largest datagram sent; bigger documents are streamed as subsegments. Default 65507 (the UDP maximum). */
  maxDatagramBytes?: number;
  /** Datagrams handed to the socket and not yet confirmed, at most; past it new ones are dropped (`queue_full`). Default 1000. */
  maxPendingDatagrams?: number;
}

export interface ResolvedXRayConfig {
  enabled: boolean;
  serviceName: string;
  /** Host glob for dynamic naming, or undefined. */
  dynamicNaming: string | undefined;
  daemon: DaemonAddress;
  /** The daemon address as given (for messages and the SDK's centralized sampler). */
  daemonAddressText: string;
  contextMissing: ContextMissingStrategy;
  sampling: SamplingRuleSet;
  /** Where the rules came from: `default`, `option`, or the file path. */
  samplingSource: string;
  centralizedSampling: boolean;
  maxDatagramBytes: number;
  maxPendingDatagrams: number;
  redaction: RedactionPolicy;
}

const DAEMON_EXPECTED = 'host:port or "udp:host:port tcp:host:port"';

/** Resolves X-Ray options: option > environment > default. Pure; never throws. */
export function resolveXRayConfig(
  options: XRayOptions | boolean | undefined,
  env: Env,
  shared: SharedSettings = {},
): Resolution<ResolvedXRayConfig> {
  const check = new OptionChecker([], 'xray');
  const reader = new EnvReader(env);
  let opts: XRayOptions = {};
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) opts = options;
  else if (options !== undefined && typeof options !== 'boolean') {
    check.problems.push({
      path: 'xray',
      expected: 'an object or a boolean',
      received: describeValue(options),
    });
  }

  const enabledOption = options === false ? false : check.boolean('enabled', opts.enabled);
  const serviceName =
    check.string('serviceName', opts.serviceName) ??
    reader.string('AWS_XRAY_TRACING_NAME') ??
    shared.serviceName ??
    reader.string('OTEL_SERVICE_NAME') ??
    'unknown_service:node';
  const dynamicNaming = check.string('dynamicNaming', opts.dynamicNaming) ?? reader.string('AWS_XRAY_URL');

  let daemonAddressText = DEFAULT_DAEMON_ADDRESS;
  let daemon = parseDaemonAddress(DEFAULT_DAEMON_ADDRESS)!;
  const daemonOption = check.string('daemonAddress', opts.daemonAddress);
  const fromOption = daemonOption === undefined ? undefined : parseDaemonAddress(daemonOption);
  if (daemonOption !== undefined && !fromOption)
    check.problem('daemonAddress', DAEMON_EXPECTED, daemonOption);
  const daemonEnv = reader.string('AWS_XRAY_DAEMON_ADDRESS');
  const fromEnv = daemonEnv === undefined ? undefined : parseDaemonAddress(daemonEnv);
  if (daemonEnv !== undefined && !fromEnv) {
    reader.warnings.push({
      variable: 'AWS_XRAY_DAEMON_ADDRESS',
      message: `AWS_XRAY_DAEMON_ADDRESS=${JSON.stringify(daemonEnv)} is not ${DAEMON_EXPECTED}; using the default "${DEFAULT_DAEMON_ADDRESS}"`,
    });
  }
  if (fromOption) [daemon, daemonAddressText] = [fromOption, daemonOption!];
  else if (fromEnv) [daemon, daemonAddressText] = [fromEnv, daemonEnv!];

  const contextMissing =
    check.oneOf('contextMissing', opts.contextMissing, CONTEXT_MISSING_STRATEGIES) ??
    (reader
      .oneOf('AWS_XRAY_CONTEXT_MISSING', ['log_error', 'ignore_error', 'runtime_error'], 'log_error')!
      .toUpperCase() as ContextMissingStrategy);

  let sampling = DEFAULT_SAMPLING;
  let samplingSource = 'default';
  if (opts.samplingRules !== undefined) {
    const parsed = loadSamplingRules(opts.samplingRules);
    if (parsed.ok) [sampling, samplingSource] = [parsed.value, describeSource(opts.samplingRules)];
    else check.problem('samplingRules', `valid sampling rules (${parsed.error})`, opts.samplingRules);
  } else {
    const path = reader.string('SIGHTLINE_XRAY_SAMPLING_RULES');
    if (path !== undefined) {
      const parsed = loadSamplingRules(path);
      if (parsed.ok) [sampling, samplingSource] = [parsed.value, path];
      else {
        reader.warnings.push({
          variable: 'SIGHTLINE_XRAY_SAMPLING_RULES',
          message: `SIGHTLINE_XRAY_SAMPLING_RULES: ${parsed.error}; using the default rule (1/s + 5%)`,
        });
      }
    }
  }

  const centralizedSampling =
    check.boolean('centralizedSampling', opts.centralizedSampling) ??
    reader.boolean('SIGHTLINE_XRAY_CENTRALIZED_SAMPLING', false)!;
  const maxDatagramBytes =
    check.number('maxDatagramBytes', opts.maxDatagramBytes, {
      integer: true,
      min: 1024,
      max: MAX_DATAGRAM_BYTES,
    }) ?? MAX_DATAGRAM_BYTES;
  const maxPendingDatagrams =
    check.number('maxPendingDatagrams', opts.maxPendingDatagrams, { integer: true, min: 1 }) ?? 1000;

  const configured =
    (typeof options === 'object' && options !== null) ||
    options === true ||
    daemonEnv !== undefined ||
    reader.string('AWS_XRAY_URL') !== undefined;
  return {
    config: {
      enabled: enabledOption ?? configured,
      serviceName,
      dynamicNaming,
      daemon,
      daemonAddressText,
      contextMissing,
      sampling,
      samplingSource,
      centralizedSampling,
      maxDatagramBytes,
      maxPendingDatagrams,
      redaction: shared.redaction ?? defaultRedactionPolicy,
    },
    problems: check.problems,
    warnings: reader.warnings,
  };
}

function describeSource(input: SamplingRulesInput): string {
  return typeof input === 'string' ? input : 'option';
}
