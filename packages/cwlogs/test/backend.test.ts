import { describe, expect, it } from 'vitest';
import { createCloudWatchLogs } from '../src/backend';
import { resolveCloudWatchLogsConfig } from '../src/resolveConfig';
import { FakeSender } from './fakeSender';
import { fakeBackend } from './helpers';

describe('createCloudWatchLogs', () => {
  it('describes where logs go and how they are batched, with credentials never shown', () => {
    const { backend } = fakeBackend({
      endpoint: 'http://127.0.0.1:4566',
      credentials: { accessKeyId: 'AKIDFAKEFAKEFAKE', secretAccessKey: 'fake-secret-value' },
    });
    const line = backend.describe();
    expect(line).toContain('group app, stream main via http://127.0.0.1:4566');
    expect(line).toContain('within 60 s');
    expect(line).not.toContain('fake-secret-value');
    expect(backend.name).toBe('cwlogs');
  });

  it('put never throws on a malformed event: it is counted as invalid', async () => {
    const { backend } = fakeBackend();
    expect(backend.put(null as never)).toBe(false);
    expect(backend.put({ message: '' })).toBe(false);
    expect((await backend.flush()).dropped).toEqual({ invalid: 2 });
  });

  it('when off: loggers still work (console), put refuses, lifecycle resolves with an empty report', async () => {
    const { config } = resolveCloudWatchLogsConfig(undefined, {});
    const backend = createCloudWatchLogs(config);
    expect(backend.enabled).toBe(false);
    expect(backend.describe()).toContain('off');
    const logger = backend.createLogger({ format: 'text' });
    expect(logger.isLevelEnabled('info')).toBe(true);
    expect(backend.put({ message: 'x' })).toBe(false);
    expect(await backend.shutdown()).toEqual({ sent: 0, dropped: {}, pending: 0 });
  });

  it('a logger on the backend sends its JSON lines to the batcher, to another stream when asked', async () => {
    const sender = new FakeSender();
    const { backend } = fakeBackend({}, {}, sender);
    backend.createLogger().info('to default');
    backend.createLogger({ stream: 'audit' }).warn('to audit', { who: 'worf' });
    await backend.flush();
    const byStream = Object.fromEntries(
      sender.stored.map((e) => [e.stream, JSON.parse(e.message) as Record<string, unknown>]),
    );
    expect(byStream.main).toMatchObject({ level: 'info', message: 'to default', service: 'svc' });
    expect(byStream.audit).toMatchObject({ level: 'warn', message: 'to audit', who: 'worf' });
  });
});

describe('the exit count', () => {
  it('shares one exit listener between backends, gone once the last one shut down', async () => {
    const before = process.listenerCount('exit');
    const first = fakeBackend({ handleExit: true }).backend;
    const second = fakeBackend({ handleExit: true }).backend;
    expect(process.listenerCount('exit')).toBe(before + 1);
    await first.shutdown(0);
    expect(process.listenerCount('exit')).toBe(before + 1);
    await second.shutdown(0);
    expect(process.listenerCount('exit')).toBe(before);
  });
});
