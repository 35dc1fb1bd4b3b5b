import { createRedactionPolicy } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { accessLogTimestamp, formatMessage } from '../src/format';
import { createLogger, type LogRecord } from '../src/logger';

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const records: LogRecord[] = [];
  const lines: string[] = [];
  const logger = createLogger({ sink: (r) => records.push(r), write: (l) => lines.push(l), ...options });
  const json = () => records.map((r) => JSON.parse(r.line) as Record<string, unknown>);
  return { logger, records, lines, json };
}

describe('logger', () => {
  it('writes JSON lines with timestamp, level, message, service, context, bindings and fields', () => {
    const { logger, json } = capture({
      serviceName: 'backend-flask',
      contextFields: () => ({
        trace_id: '5f3c0000000000000000000000000001',
        xray_trace_id: '1-5f3c0000-000000000000000000000001',
      }),
    });
    logger
      .child({ component: 'home' })
      .info('Hello Cloudwatch! from %s', '/api/activities/home', { results: 3 });
    const [line] = json();
    expect(line).toMatchObject({
      level: 'info',
      message: 'Hello Cloudwatch! from /api/activities/home',
      service: 'backend-flask',
      trace_id: '5f3c0000000000000000000000000001',
      xray_trace_id: '1-5f3c0000-000000000000000000000001',
      component: 'home',
      results: 3,
    });
    expect(new Date(line!.timestamp as string).toISOString()).toBe(line!.timestamp);
  });

  it('formats nothing when it writes nowhere (no sink, console off), and says so through isLevelEnabled', () => {
    let formatted = 0;
    const silent = createLogger({ console: false, contextFields: () => ({ n: ++formatted }) });
    expect(silent.isLevelEnabled('error')).toBe(false);
    silent.error('dropped', { a: 1 });
    expect(formatted).toBe(0);
    const lines: string[] = [];
    const consoleOnly = createLogger({
      level: 'warn',
      write: (l) => lines.push(l),
      contextFields: () => ({ n: ++formatted }),
    });
    expect([consoleOnly.isLevelEnabled('info'), consoleOnly.isLevelEnabled('warn')]).toEqual([false, true]);
    consoleOnly.warn('kept');
    expect(formatted).toBe(1);
    expect(lines).toHaveLength(1);
  });

  it('reproduces the Cruddur access-log line exactly in text format', () => {
    const { logger, records } = capture({ format: 'text' });
    const ts = accessLogTimestamp(new Date(Date.UTC(2026, 10, 27, 19, 45, 12)), true);
    logger.error(
      '%s %s %s %s %s %s',
      ts,
      '127.0.0.1',
      'GET',
      'http',
      '/api/activities/search?term=x',
      '200 OK',
    );
    expect(records[0]!.line).toBe(
      '[2026-Nov-27 19:45] 127.0.0.1 GET http /api/activities/search?term=x 200 OK',
    );
  });

  it('applies the level threshold, shared with children', () => {
    const { logger, records } = capture({ level: 'warn' });
    const child = logger.child({ a: 1 });
    logger.info('no');
    child.debug('no');
    child.warn('yes');
    logger.level = 'debug';
    child.debug('now yes');
    expect(records.map((r) => r.level)).toEqual(['warn', 'debug']);
    expect(logger.isLevelEnabled('debug')).toBe(true);
  });

  it('serializes Errors with stack and cause, and survives circular, BigInt, Date, Map, Buffer and huge values', () => {
    const { logger, json } = capture();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const err = new Error('outer', { cause: new Error('inner') });
    logger.error('boom', err);
    logger.info('values', {
      circular,
      big: 10n ** 30n,
      when: new Date(Date.UTC(2026, 0, 1)),
      map: new Map([['k', 1]]),
      buf: Buffer.alloc(2048),
      huge: 'x'.repeat(100_000),
    });
    const [e, v] = json();
    expect(e!.err).toMatchObject({ name: 'Error', message: 'outer', cause: { message: 'inner' } });
    expect(String((e!.err as { stack: string }).stack)).toContain('Error: outer');
    expect(v).toMatchObject({
      circular: { name: 'loop', self: '[Circular]' },
      big: '1000000000000000000000000000000',
      when: '2026-01-01T00:00:00.000Z',
      map: { k: 1 },
      buf: '[Buffer 2048 bytes]',
    });
    expect((v!.huge as string).length).toBeLessThan(10_000);
  });

  it('redacts sensitive fields and secrets in messages before the line leaves the process', () => {
    const { logger, records } = capture({ redaction: createRedactionPolicy({ fieldNames: ['ssn_number'] }) });
    logger.info('auth with Bearer abc.def.ghi', {
      password: 'hunter2',
      user: { api_key: 'k', name: 'worf' },
      ssn_number: '1',
    });
    const line = records[0]!.line;
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('abc.def.ghi');
    expect(JSON.parse(line)).toMatchObject({
      password: '[REDACTED]',
      user: { api_key: '[REDACTED]', name: 'worf' },
      ssn_number: '[REDACTED]',
    });
  });

  it('keeps a long message whole (the batcher splits it), while huge field values are cut', () => {
    const { logger, json } = capture();
    logger.info('x'.repeat(100_000), { big: 'y'.repeat(100_000) });
    const [line] = json();
    expect(line!.message).toHaveLength(100_000);
    expect((line!.big as string).length).toBeLessThan(10_000);
  });

  it('never lets a field overwrite timestamp, level or message, and never throws on a throwing context hook', () => {
    const { logger, json } = capture({
      contextFields: () => {
        throw new Error('hook');
      },
    });
    logger.info('m', { level: 'fake', message: 'fake' });
    expect(json()[0]).toMatchObject({
      level: 'info',
      message: 'm',
      field_level: 'fake',
      field_message: 'fake',
    });
  });

  it('mirrors to the console when asked, and writes to the console only without a sink', () => {
    const lines: string[] = [];
    createLogger({ write: (l) => lines.push(l), format: 'text' }).info('only console');
    const c = capture({ console: true, format: 'text' });
    c.logger.info('both');
    expect(lines).toEqual(['only console']);
    expect(c.lines).toEqual(['both']);
    expect(c.records.map((r) => r.line)).toEqual(['both']);
  });
});

describe('formatMessage', () => {
  it('handles %s %d %i %f %j %o %% and appends extra arguments', () => {
    expect(formatMessage('%s=%d %i %f %j %% %o', ['a', 42, 3.9, '1.5', { x: 1 }, [1]])).toBe(
      'a=42 3 1.5 {"x":1} % [ 1 ]',
    );
    expect(formatMessage('no placeholders', ['x', 2])).toBe('no placeholders x 2');
    expect(formatMessage('%s and %s', ['one'])).toBe('one and %s');
  });

  it('treats 0, 1, 2 and more arguments alike: placeholders first, then a trailing fields object or Error, the rest appended', () => {
    const { logger, json } = capture();
    logger.info('none');
    logger.info('one %s', 'a');
    logger.info('fields only', { k: 1 });
    logger.info('%s then fields', 'a', { k: 2 });
    logger.info('two extra', 'a', 'b');
    logger.info('%s %d and fields', 'a', 3, { k: 4 });
    logger.info('%s more', 'a', 'b', 'c', 'd');
    logger.warn('failed', new Error('boom'));
    logger.error('%s failed', 'job', 'x', new Error('bang'));
    logger.debug('below the threshold', 'a', 'b', 'c');
    const lines = json();
    expect(lines.map((l) => l.message)).toEqual([
      'none',
      'one a',
      'fields only',
      'a then fields',
      'two extra a b',
      'a 3 and fields',
      'a more b c d',
      'failed',
      'job failed x',
    ]);
    expect(lines.map((l) => l.k)).toEqual([
      undefined,
      undefined,
      1,
      2,
      undefined,
      4,
      undefined,
      undefined,
      undefined,
    ]);
    expect((lines[7]!.err as { message: string }).message).toBe('boom');
    expect((lines[8]!.err as { message: string }).message).toBe('bang');
  });

  it('writes a whole line for a field getter that logs while the outer line is being written', () => {
    const { logger, json } = capture();
    const fields = {
      get inner() {
        logger.info('inner', { depth: 2 });
        return 'value';
      },
    };
    logger.info('outer', fields);
    logger.info('after', { depth: 0 });
    const lines = json();
    expect(lines.map((l) => [l.message, l.depth ?? l.inner])).toEqual([
      ['inner', 2],
      ['outer', 'value'],
      ['after', 0],
    ]);
  });

  it('never throws on BigInt or circular values', () => {
    const c: Record<string, unknown> = {};
    c.c = c;
    expect(formatMessage('%j %d %j', [c, 5n, 7n])).toBe('{"c":"[Circular]"} 5n "7"');
  });
});
