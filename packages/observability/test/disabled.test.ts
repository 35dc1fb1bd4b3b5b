import { describe, expect, it } from 'vitest';
import { initObservability } from '../src/index';

describe('SIGHTLINE_DISABLED', () => {
  it('beats every other setting: nothing starts, every call is a cheap no-op', async () => {
    const obs = initObservability(
      { serviceName: 'off' },
      {
        SIGHTLINE_DISABLED: 'true',
        HONEYCOMB_API_KEY: 'hcaik_fake_0000000000000000000000',
        AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
        SIGHTLINE_CWLOGS_GROUP: 'off',
        ROLLBAR_ACCESS_TOKEN: 'fake-token-0000000000000000',
        SIGHTLINE_SUMMARY: 'false',
      },
    );
    expect(Object.values(obs.stats()).map((s) => s.enabled)).toEqual([false, false, false, false]);
    expect(
      obs.span('x', (span) => {
        span.setAttribute('a', 1);
        return 7;
      }),
    ).toBe(7);
    expect(obs.errors.report(new Error('x'))).toBeUndefined();
    expect(obs.errors.message('x')).toBeUndefined();
    expect(obs.traceIds()).toBeUndefined();
    const report = await obs.shutdown({ timeoutMs: 100 });
    expect(Object.values(report.backends).every((b) => b.status === 'off')).toBe(true);
  });
});
