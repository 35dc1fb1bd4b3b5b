/// <reference path="./vendor.d.ts" />
import { createRequire } from 'node:module';
import { diagnostics } from '@sightline/core';
import type { ResolvedXRayConfig } from './config';
import type { Sampler, SamplingDecision, SamplingRequest } from './sampler';
import { toSdkRulesFile } from './samplingRules';

const log = diagnostics('xray');

type SdkDefaultSampler = typeof import('aws-xray-sdk-core/dist/lib/middleware/sampling/default_sampler.js');
type SdkDaemonConfig = typeof import('aws-xray-sdk-core/dist/lib/daemon_config.js');

// Loaded only when centralized sampling is on: the sampler and its pollers (node:http included) are
// ~15 ms of start-up. Deep paths: the SDK's index would create a cls-hooked namespace when it loads.
const load = createRequire(import.meta.url);

/**
 * Centralized sampling: the SDK's own sampler polls `GetSamplingRules` (5 min) and `GetSamplingTargets`
 * (10 s) through the daemon's TCP proxy, and falls back to our local rules (handed to it in its `version: 2`
 * shape) while the daemon does not answer. It is process-wide in the SDK, so one configuration wins.
 */
export class CentralizedSampler implements Sampler {
  private readonly sdk: SdkDefaultSampler | undefined;

  constructor(private readonly config: ResolvedXRayConfig) {
    const { udp, tcp } = config.daemon;
    try {
      const daemonConfig = load('aws-xray-sdk-core/dist/lib/daemon_config.js') as SdkDaemonConfig;
      const defaultSampler = load(
        'aws-xray-sdk-core/dist/lib/middleware/sampling/default_sampler.js',
      ) as SdkDefaultSampler;
      // Ignored by the SDK when AWS_XRAY_DAEMON_ADDRESS is set in the process (it read that at load).
      daemonConfig.setDaemonAddress(`udp:${udp.host}:${udp.port} tcp:${tcp.host}:${tcp.port}`);
      defaultSampler.setLocalRules(toSdkRulesFile(config.sampling));
      this.sdk = defaultSampler;
    } catch (error) {
      log.warnOnce(
        'centralized',
        `centralized sampling unavailable, using local rules: ${(error as Error).message}`,
      );
    }
  }

  shouldSample(request: SamplingRequest): SamplingDecision {
    if (!this.sdk) return { sampled: false, rule: undefined };
    try {
      const decision = this.sdk.shouldSample({ ...request });
      if (typeof decision === 'string') return { sampled: true, rule: decision };
      return { sampled: decision === true, rule: undefined };
    } catch {
      return { sampled: false, rule: undefined };
    }
  }

  describe(): string {
    return `centralized through the daemon (tcp ${this.config.daemon.tcp.host}:${this.config.daemon.tcp.port}), falling back to local rules`;
  }
}
