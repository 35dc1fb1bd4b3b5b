import { afterEach, describe, expect, it } from 'vitest';
import { createXRay, resolveXRayConfig, type XRayBackend } from '../src/index';
import { request } from './helpers';

let xray: XRayBackend | undefined;
afterEach(async () => {
  await xray?.shutdown(100);
});

describe('centralized sampling', () => {
  it('falls back to the local rules while the daemon does not answer', async () => {
    // Port 9 on loopback: nothing listens, so GetSamplingRules never answers.
    const { config } = resolveXRayConfig(
      {
        centralizedSampling: true,
        daemonAddress: '127.0.0.1:9',
        samplingRules: { version: 2, rules: [], default: { fixed_target: 0, rate: 0 } },
      },
      {},
    );
    xray = createXRay(config);
    expect(xray.describe()).toContain('centralized through the daemon (tcp 127.0.0.1:9)');
    const decisions = Array.from({ length: 20 }, () => xray!.openRequestSegment(request('/')).sampled);
    expect(decisions.every((d) => d === false)).toBe(true);
    await xray.shutdown(100);

    const all = resolveXRayConfig(
      {
        centralizedSampling: true,
        daemonAddress: '127.0.0.1:9',
        samplingRules: { version: 2, rules: [], default: { fixed_target: 0, rate: 1 } },
      },
      {},
    );
    xray = createXRay(all.config);
    expect(Array.from({ length: 20 }, () => xray!.openRequestSegment(request('/')).sampled)).toEqual(
      Array(20).fill(true),
    );
  });
});
