import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type Local, startLocal } from '@sightline/local';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import winston from 'winston';
import { SightlineCloudWatchTransport } from '../src/winston';

let local: Local;
beforeEach(async () => {
  local = await startLocal();
});
afterEach(async () => {
  await local.close();
});

const aws = () => ({
  endpoint: local.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS,
  region: local.env.AWS_REGION,
  credentials: { accessKeyId: local.env.AWS_ACCESS_KEY_ID, secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY },
});

describe('adapters', () => {
  it('winston transport: winston-formatted lines, redacted, delivered on flush', async () => {
    const transport = new SightlineCloudWatchTransport({
      logGroupName: 'winston',
      logStreamName: 'w',
      handleExit: false,
      ...aws(),
    });
    const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
    for (let i = 0; i < 50; i++) logger.info('hello', { i, password: 'hunter2' });
    logger.error('auth Bearer abc.def');
    // winston hands lines to transports through streams: flush once they have all arrived.
    await local.waitFor(() => transport.backend.stats().pending === 51, { timeoutMs: 5_000 });
    expect(await transport.flush()).toEqual({ sent: 51, dropped: {}, pending: 0 });
    const events = local
      .logEvents({ group: 'winston', stream: 'w' })
      .map((e) => JSON.parse(e.message) as Record<string, unknown>);
    expect(events[0]).toMatchObject({ level: 'info', message: 'hello', i: 0 });
    expect(JSON.stringify(events)).not.toContain('hunter2');
    expect(JSON.stringify(events)).not.toContain('abc.def');
    await transport.backend.shutdown(1_000);
  });

  it('pino transport target: every line delivered by its deadline, redacted, with pino time', async () => {
    const target = fileURLToPath(new URL('../dist/pino.js', import.meta.url));
    const transport = pino.transport({
      target,
      options: { logGroupName: 'pino', logStreamName: 'p', sendIntervalMs: 200, ...aws() },
    });
    const logger = pino(transport);
    for (let i = 0; i < 300; i++) logger.info({ i, token: 'secret-value' }, 'line');
    // thread-stream's end() blocks this thread while the worker drains, and @sightline/local answers on
    // this thread: wait for the 200 ms deadline to deliver everything before closing.
    await local.waitFor(() => local.logEvents({ group: 'pino' }).length === 300, { timeoutMs: 10_000 });
    transport.end();
    await once(transport, 'close');
    const events = local.logEvents({ group: 'pino', stream: 'p' });
    expect(events).toHaveLength(300);
    const first = JSON.parse(events[0]!.message) as Record<string, unknown>;
    expect(first).toMatchObject({ msg: 'line', i: 0, token: '[REDACTED]' });
    expect(events[0]!.timestamp).toBe(first.time);
  });
});
