// The demo runner's pure parts: the child's environment never points at a real cloud, and the
// numbers and tables it prints are right.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

interface Runner {
  serviceEnv(
    base: Record<string, string>,
    local: { env: Record<string, string> },
    port: number,
  ): Record<string, string>;
  percentile(values: number[], p: number): number;
  table(headers: string[], rows: string[][]): string;
  isAccessLine(message: string): boolean;
  newTraceIds(): { traceId: string; xrayTraceId: string; parentId: string };
}

let runner: Runner;
beforeAll(async () => {
  const root = join(import.meta.dirname, '..', '..', '..');
  runner = (await import(pathToFileURL(join(root, 'scripts/demo-runner.mjs')).href)) as Runner;
});

const local = {
  env: {
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://127.0.0.1:4588',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    ROLLBAR_ENDPOINT: 'http://127.0.0.1:4589/api/1/item/',
  },
};

describe('serviceEnv', () => {
  it("drops the caller's cloud settings and points every backend at loopback", () => {
    const env = runner.serviceEnv(
      {
        PATH: '/usr/bin',
        AWS_PROFILE: 'prod',
        AWS_SESSION_TOKEN: 'caller-session-token',
        AWS_ENDPOINT_URL: 'https://logs.example.invalid',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://api.honeycomb.io/v1/traces',
        HONEYCOMB_DATASET: 'prod',
        ROLLBAR_ENVIRONMENT: 'prod',
        SIGHTLINE_DISABLED: 'true',
      },
      local,
      4567,
    );
    expect(env.PATH).toBe('/usr/bin');
    for (const name of [
      'AWS_PROFILE',
      'AWS_SESSION_TOKEN',
      'AWS_ENDPOINT_URL',
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      'HONEYCOMB_DATASET',
      'ROLLBAR_ENVIRONMENT',
      'SIGHTLINE_DISABLED',
    ]) {
      expect(env[name], name).toBeUndefined();
    }
    expect(env).toMatchObject({
      ...local.env,
      OTEL_SERVICE_NAME: 'backend-flask',
      PORT: '4567',
      HOST: '127.0.0.1',
    });
    expect(env.ROLLBAR_ACCESS_TOKEN).toMatch(/fake/);
    expect(env.HONEYCOMB_API_KEY).toMatch(/fake/);
    for (const [name, value] of Object.entries(env)) {
      if (/^https?:\/\//.test(value))
        expect(new URL(value).hostname, name).toMatch(/^(127\.0\.0\.1|localhost)$/);
    }
  });
});

describe('percentile', () => {
  it('is the nearest-rank percentile', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(runner.percentile(values, 50)).toBe(5);
    expect(runner.percentile(values, 90)).toBe(9);
    expect(runner.percentile(values, 100)).toBe(10);
    expect(runner.percentile([42], 90)).toBe(42);
    expect(runner.percentile([], 50)).toBeNaN();
  });
});

describe('table', () => {
  it('aligns columns, right-aligning those marked with >', () => {
    const lines = runner.table(
      ['name', '>n'],
      [
        ['a', '1'],
        ['long name', '100'],
      ],
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour of the header on a TTY.
    expect(lines.replace(/\x1b\[\d+m/g, '').split('\n')).toEqual([
      '  name         n',
      '  a            1',
      '  long name  100',
    ]);
  });
});

describe('isAccessLine', () => {
  it("recognises Cruddur's access line, plain or inside a JSON event", () => {
    const line = '[2026-Nov-27 19:45] 127.0.0.1 GET http /api/activities/search?term=x 200 OK';
    expect(runner.isAccessLine(line)).toBe(true);
    expect(runner.isAccessLine(JSON.stringify({ level: 'info', message: line }))).toBe(true);
    expect(runner.isAccessLine('Hello Cloudwatch! from /api/activities/home')).toBe(false);
  });
});

describe('newTraceIds', () => {
  it('gives the same 128 bits in the OTel and X-Ray forms, epoch seconds first', () => {
    const { traceId, xrayTraceId, parentId } = runner.newTraceIds();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(xrayTraceId).toBe(`1-${traceId.slice(0, 8)}-${traceId.slice(8)}`);
    expect(parentId).toMatch(/^[0-9a-f]{16}$/);
    expect(Math.abs(Number.parseInt(traceId.slice(0, 8), 16) - Date.now() / 1000)).toBeLessThan(60);
  });
});
