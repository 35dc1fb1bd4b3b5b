import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Local, maskSecret, startLocal } from '../src/index';
import { FAKE_ROLLBAR_TOKEN, rollbarClient, waitRollbar } from './clients';

describe('Rollbar receiver', () => {
  let local: Local;
  beforeEach(async () => {
    local = await startLocal();
  });
  afterEach(async () => {
    await local.close();
  });

  it('stores an error and a message sent by the rollbar package, token masked', async () => {
    const rollbar = rollbarClient(local);
    rollbar.error(new Error('boom'));
    rollbar.warning('Hello World!');
    await waitRollbar(rollbar);
    const items = await local.waitFor(() => (local.items().length === 2 ? local.items() : undefined));
    const error = items.find((i) => i.data.level === 'error')!;
    const message = items.find((i) => i.data.level === 'warning')!;
    expect(error.data.environment).toBe('test');
    expect(error.data.body).toMatchObject({
      trace_chain: [{ exception: { class: 'Error', message: 'boom' } }],
    });
    expect(message.data.body).toMatchObject({ message: { body: 'Hello World!' } });
    expect(error.accessToken).toBe(maskSecret(FAKE_ROLLBAR_TOKEN));
    expect(local.requests({ backend: 'rollbar' })[0]!.headers['x-rollbar-access-token']).toBe(
      maskSecret(FAKE_ROLLBAR_TOKEN),
    );
    expect(JSON.stringify([local.items(), local.requests()])).not.toContain(FAKE_ROLLBAR_TOKEN);
  });
});
