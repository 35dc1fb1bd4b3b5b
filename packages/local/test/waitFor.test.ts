import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Local, startLocal, WaitForTimeoutError } from '../src/index';

describe('waitFor', () => {
  let local: Local;
  beforeAll(async () => {
    local = await startLocal();
  });
  afterAll(async () => {
    await local.close();
  });

  const postRejected = () =>
    fetch(`${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
    });

  it('resolves at once when the predicate already holds, with its value', async () => {
    await expect(local.waitFor(() => 'ready')).resolves.toBe('ready');
  });

  it('resolves when something arrives, with the first truthy result', async () => {
    const waiting = local.waitFor(() => local.rejections().length > 0 && local.rejections()[0]!.reason);
    await postRejected();
    await expect(waiting).resolves.toBe('unsupported_media_type');
  });

  it('treats a throwing predicate (a failing expect) as "not yet"', async () => {
    local.clear();
    const waiting = local.waitFor(() => {
      expect(local.rejections()).toHaveLength(1);
      return true;
    });
    await postRejected();
    await expect(waiting).resolves.toBe(true);
  });

  it('rejects with WaitForTimeoutError naming what was stored and the last error', async () => {
    local.clear();
    await postRejected();
    const error = await local
      .waitFor(
        () => {
          throw new Error('no spans yet');
        },
        { timeoutMs: 50 },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitForTimeoutError);
    expect((error as Error).message).toContain('spans=0');
    expect((error as Error).message).toContain('otlp:unsupported_media_type');
    expect((error as Error).message).toContain('last error: no spans yet');
  });
});
