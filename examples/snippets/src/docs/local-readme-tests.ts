// packages/local/README.md, "In tests: startLocal()".
import { afterEach, beforeEach, expect, it } from 'vitest';

// What the quoted code refers to (a type-checked stand-in): your service, started as a child process.
declare function startService(options: { env: NodeJS.ProcessEnv }): { url: string };

import { type Local, startLocal } from '@sightline/local';

let local: Local;
beforeEach(async () => {
  local = await startLocal(); // free ports by default
});
afterEach(() => local.close());

it('logs the request', async () => {
  const service = startService({ env: { ...process.env, ...local.env } });
  await fetch(service.url);
  // Never sleep: wait for what must arrive.
  const [event] = await local.waitFor(() => {
    const events = local.logEvents({ group: '/cruddur/backend' });
    return events.length > 0 && events;
  });
  expect(JSON.parse(event.message).trace_id).toBe(local.spans()[0].traceId);
  expect(local.rejections()).toEqual([]); // nothing the real services would have refused
});
