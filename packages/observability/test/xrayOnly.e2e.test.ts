import type { Local } from '@sightline/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initObservability, type Observability } from '../src/index';
import { BODY_ROUTE, type Framework, startApp } from './apps';
import { baseUrl, postInTwoChunks, SAMPLE_EVERYTHING, startBackends } from './helpers';

/**
 * X-Ray with tracing off: no server span binds the request's events to a context, so the segment binds
 * them itself. A handler that works once its body has arrived still gets its subsegment (node:http
 * failed this before; Express's and Fastify's body parsers are covered too).
 */
describe.each<Framework>(['http', 'express', 'fastify'])('X-Ray without tracing, %s adapter', (framework) => {
  let local: Local;
  let obs: Observability;
  let app: Awaited<ReturnType<typeof startApp>>;

  beforeAll(async () => {
    const started = await startBackends();
    local = started.local;
    obs = initObservability(
      { serviceName: 'xray-only', tracing: false, xray: { samplingRules: SAMPLE_EVERYTHING } },
      started.env,
    );
    app = await startApp(framework, obs);
  });

  afterAll(async () => {
    await app?.stop();
    await obs?.shutdown({ timeoutMs: 2000 });
    await local?.close();
  });

  it('a handler that runs once the body has arrived opens its subsegment under the request’s segment', async () => {
    expect(await postInTwoChunks(`${baseUrl(app.server)}${BODY_ROUTE}`, { handle: 'from-body' })).toBe(200);
    const segment = await local.waitFor(() => local.segments().find((s) => s.kind === 'segment'));
    const subsegments = (segment.document.subsegments ?? []) as { name: string }[];
    expect(subsegments.map((x) => x.name)).toEqual(['mock-data']);
    expect(local.spans()).toEqual([]);
  });
});
