import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs, USAGE } from '../src/cliArgs';
import { exportLines, finalSummary, liveLine } from '../src/summary';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

type Line = { event: string; [key: string]: unknown };

/** Runs the CLI from source (tsx) and hands out its JSON lines as they come. */
function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const lines: Line[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(JSON.parse(line) as Line);
    for (const wake of waiters.splice(0)) wake();
  });
  const next = async (predicate: (line: Line) => boolean): Promise<Line> => {
    for (;;) {
      const found = lines.find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, next, exited };
}

describe('sightline-local CLI', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('--json prints where it listens, live status, and a summary on SIGINT', async () => {
    const cli = runCli([
      '--json',
      '--otlp-port',
      '0',
      '--xray-port',
      '0',
      '--cwlogs-port',
      '0',
      '--rollbar-port',
      '0',
      '--interval',
      '100',
    ]);
    child = cli.child;
    const listening = await cli.next((l) => l.event === 'listening');
    const env = listening.env as Record<string, string>;
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining([
        'AWS_XRAY_DAEMON_ADDRESS',
        'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
        'ROLLBAR_ENDPOINT',
      ]),
    );
    await fetch(`${env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
    });
    const status = await cli.next(
      (l) => l.event === 'status' && (l.totals as { rejections: number }).rejections === 1,
    );
    expect(status.perSecond).toBeDefined();
    await cli.next((l) => l.event === 'rejection' && l.reason === 'unsupported_media_type');
    cli.child.kill('SIGINT');
    const summary = await cli.next((l) => l.event === 'summary');
    expect(summary).toMatchObject({ totals: { spans: 0, rejections: 1 }, rejections: 1 });
    expect(await cli.exited).toBe(0);
  });
});

describe('CLI text output', () => {
  it('prints shell-safe export lines', () => {
    expect(exportLines({ A: 'http://127.0.0.1:1/api/1/item/', B: "it's" } as never)).toEqual([
      'export A=http://127.0.0.1:1/api/1/item/',
      "export B='it'\\''s'",
    ]);
  });

  it('formats the live line and the final summary', () => {
    const totals = { spans: 3, segments: 1, logEvents: 10, items: 0, rejections: 1 };
    expect(liveLine(totals, { ...totals, spans: 1 })).toBe(
      'spans 3 (+1/s)  segments 1 (+1/s)  log events 10 (+10/s)  items 0 (+0/s)  rejections 1 (+1/s)',
    );
    const stats = {
      ...totals,
      requests: 5,
      evicted: { spans: 2, segments: 0, logEvents: 0, items: 0, requests: 0, rejections: 0 },
    };
    const lines = finalSummary(
      stats,
      [{ backend: 'xray', at: 0, reason: 'missing_end_time', message: 'm' }],
      1500,
    );
    expect(lines).toContain('    xray missing_end_time: 1');
    expect(lines.at(-1)).toBe('  evicted by memory caps: spans 2');
  });
});

describe('CLI arguments', () => {
  it('defaults to the fixed documented ports', () => {
    expect(parseCliArgs([])).toEqual({
      ports: { otlp: 4318, xray: 2000, cwlogs: 4588, rollbar: 4589 },
      intervalMs: 1000,
      json: false,
    });
    expect(USAGE).toContain('default 4318');
  });

  it('takes ports, --json and --help, and refuses invalid ports', () => {
    expect(parseCliArgs(['--otlp-port', '0', '--json'])).toMatchObject({ ports: { otlp: 0 }, json: true });
    expect(parseCliArgs(['--help'])).toBeUndefined();
    expect(() => parseCliArgs(['--xray-port', '70000'])).toThrow('--xray-port must be an integer 0-65535');
    expect(() => parseCliArgs(['--bogus'])).toThrow();
  });
});
