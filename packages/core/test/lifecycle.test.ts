import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createDiagnostics,
  Deadline,
  DropCounter,
  describeValue,
  OptionChecker,
  runOnce,
  SightlineConfigError,
  settleWithin,
} from '../src/index';

afterEach(() => {
  vi.useRealTimers();
});

describe('DropCounter', () => {
  it('counts by reason and announces only the first drop of each reason', () => {
    const first: string[] = [];
    const drops = new DropCounter((reason, n) => first.push(`${reason}:${n}`));
    drops.add('queue_full');
    drops.add('queue_full', 4);
    drops.add('too_large', 2);
    drops.add('too_old', 0);
    expect(drops.snapshot()).toEqual({ queue_full: 5, too_large: 2 });
    expect(drops.total()).toBe(7);
    expect(drops.get('too_old')).toBe(0);
    expect(first).toEqual(['queue_full:1', 'too_large:2']);
  });

  it('survives a throwing announcer', () => {
    const drops = new DropCounter(() => {
      throw new Error('boom');
    });
    expect(() => drops.add('rejected')).not.toThrow();
    expect(drops.get('rejected')).toBe(1);
  });
});

describe('shutdown helpers', () => {
  it('runOnce runs the function once and shares its promise', async () => {
    let calls = 0;
    const once = runOnce(async () => ++calls);
    const [a, b] = await Promise.all([once(), once()]);
    expect([a, b, await once(), calls]).toEqual([1, 1, 1, 1]);
  });

  it('settleWithin reports done, failed and timeout without rejecting', async () => {
    vi.useFakeTimers();
    const never = new Promise(() => {});
    const timed = settleWithin(never, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await timed).toEqual({ status: 'timeout' });
    expect(await settleWithin(Promise.resolve(7), 10)).toEqual({ status: 'done', value: 7 });
    const err = new Error('x');
    expect(await settleWithin(Promise.reject(err), 10)).toEqual({ status: 'failed', error: err });
  });

  it('a Deadline is shared: later tasks get only what is left', async () => {
    vi.useFakeTimers();
    const deadline = new Deadline(5000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(deadline.remainingMs()).toBe(2000);
    const slow = deadline.race(new Promise((r) => setTimeout(r, 10_000)));
    await vi.advanceTimersByTimeAsync(2000);
    expect(await slow).toEqual({ status: 'timeout' });
    expect(deadline.expired()).toBe(true);
  });
});

describe('OptionChecker and SightlineConfigError', () => {
  it('collects every problem with its path, then lists them in one error', () => {
    const check = new OptionChecker();
    expect(check.string('serviceName', 42)).toBeUndefined();
    expect(
      check.at('cwlogs').number('sendIntervalMs', 10, { min: 1000, max: 60_000, integer: true }),
    ).toBeUndefined();
    expect(check.at('tracing').url('endpoint', 'not a url')).toBeUndefined();
    expect(check.oneOf('level', 'loud', ['info', 'debug'])).toBeUndefined();
    expect(check.boolean('disabled', true)).toBe(true);
    expect(check.stringRecord('headers', { a: 1 })).toBeUndefined();
    const err = new SightlineConfigError(check.problems);
    expect(err.name).toBe('SightlineConfigError');
    expect(err.problems).toHaveLength(5);
    expect(err.message).toContain('5 problems');
    expect(err.message).toContain('serviceName: expected a string, received 42');
    expect(err.message).toContain(
      'cwlogs.sendIntervalMs: expected an integer between 1000 and 60000, received 10',
    );
    expect(err.message).toContain('tracing.endpoint: expected an http(s) URL, received "not a url"');
    expect(err.message).toContain('level: expected one of "info", "debug", received "loud"');
    expect(err.message).toContain('headers.a: expected a string, received 1');
  });

  it('describes values briefly', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue([1])).toBe('an array');
    expect(describeValue('x'.repeat(100)).length).toBeLessThan(70);
  });
});

describe('diagnostics', () => {
  it('is quiet below its level and warns once per key', () => {
    const lines: string[] = [];
    const diag = createDiagnostics('test', { level: 'warn', sink: (_l, m) => lines.push(m) });
    diag.debug('hidden');
    diag.info('hidden');
    diag.warn('shown');
    expect(diag.warnOnce('k', 'once')).toBe(true);
    expect(diag.warnOnce('k', 'once')).toBe(false);
    diag.child('sub').error('child error');
    expect(lines).toEqual([
      '[sightline:test] warn: shown',
      '[sightline:test] warn: once',
      '[sightline:test:sub] error: child error',
    ]);
  });

  it('never throws when its sink does', () => {
    const diag = createDiagnostics('test', {
      sink: () => {
        throw new Error('sink down');
      },
    });
    expect(() => diag.error('x')).not.toThrow();
  });
});
