import { describe, expect, it } from 'vitest';
import type { CloudWatchLogsOptions } from '../src/options';
import { CWLOGS_DEFAULTS, resolveCloudWatchLogsConfig } from '../src/resolveConfig';
import { renderStreamName } from '../src/streamName';

describe('resolveCloudWatchLogsConfig', () => {
  it('is off with nothing configured, and on with SIGHTLINE_CWLOGS_GROUP', () => {
    expect(resolveCloudWatchLogsConfig(undefined, {}).config.enabled).toBe(false);
    const r = resolveCloudWatchLogsConfig(undefined, { SIGHTLINE_CWLOGS_GROUP: 'cruddur' });
    expect(r.config).toMatchObject({ enabled: true, logGroupName: 'cruddur', ...CWLOGS_DEFAULTS });
    expect(r.problems).toEqual([]);
  });

  it('option beats env beats default, and 0/false options win (?? not ||)', () => {
    const { config } = resolveCloudWatchLogsConfig(
      { logGroupName: 'opt', sendIntervalMs: 1000, createLogGroup: false },
      {
        SIGHTLINE_CWLOGS_GROUP: 'env',
        SIGHTLINE_CWLOGS_SEND_INTERVAL_MS: '5000',
        SIGHTLINE_CWLOGS_CREATE_GROUP: 'true',
        SIGHTLINE_CWLOGS_MAX_BATCH_EVENTS: '500',
      },
    );
    expect(config).toMatchObject({
      logGroupName: 'opt',
      sendIntervalMs: 1000,
      createLogGroup: false,
      maxBatchEvents: 500,
    });
  });

  it('false turns it off even with the env group set; SIGHTLINE_CWLOGS_ENABLED=false too', () => {
    expect(resolveCloudWatchLogsConfig(false, { SIGHTLINE_CWLOGS_GROUP: 'g' }).config.enabled).toBe(false);
    expect(
      resolveCloudWatchLogsConfig(undefined, {
        SIGHTLINE_CWLOGS_GROUP: 'g',
        SIGHTLINE_CWLOGS_ENABLED: 'false',
      }).config.enabled,
    ).toBe(false);
  });

  it('returns every invalid explicit option as a problem under cwlogs.', () => {
    const { problems } = resolveCloudWatchLogsConfig(
      {
        logGroupName: 'bad name',
        maxBatchEvents: 20_000,
        oversize: 'drop',
        retentionInDays: 2,
        logStreamName: '{nope}',
      } as unknown as CloudWatchLogsOptions,
      {},
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'cwlogs.logGroupName',
      'cwlogs.logStreamName',
      'cwlogs.maxBatchEvents',
      'cwlogs.oversize',
      'cwlogs.retentionInDays',
    ]);
  });

  it('warns about invalid env values and falls back to defaults', () => {
    const r = resolveCloudWatchLogsConfig(undefined, {
      SIGHTLINE_CWLOGS_GROUP: 'g',
      SIGHTLINE_CWLOGS_SEND_INTERVAL_MS: 'soon',
      SIGHTLINE_CWLOGS_OVERFLOW: 'explode',
      SIGHTLINE_CWLOGS_RETENTION_DAYS: '2',
    });
    expect(r.config).toMatchObject({
      sendIntervalMs: 60_000,
      overflow: 'drop-newest',
      retentionInDays: undefined,
    });
    expect(r.warnings.map((w) => w.variable).sort()).toEqual([
      'SIGHTLINE_CWLOGS_OVERFLOW',
      'SIGHTLINE_CWLOGS_RETENTION_DAYS',
      'SIGHTLINE_CWLOGS_SEND_INTERVAL_MS',
    ]);
  });
});

describe('stream names', () => {
  it('renders the template placeholders and sanitizes forbidden characters', () => {
    const name = renderStreamName('{service}/{hostname}/{pid}/{date}/{uuid}:{environment}*', {
      hostname: 'host',
      pid: 42,
      now: new Date(Date.UTC(2026, 10, 27)),
      uuid: 'u-1',
      service: 'backend-flask',
      environment: 'prod',
      program: 'app',
    });
    expect(name).toBe('backend-flask/host/42/2026-11-27/u-1_prod_');
  });
});
