import { createServer, type Server } from 'node:http';
import type { Local } from '@sightline/local';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initObservability, type Observability } from '../src/index';
import { baseUrl, close, listen, SAMPLE_EVERYTHING, startBackends } from './helpers';

// Built at run time: Rollbar items carry the source lines around each frame, and a secret written
// literally in this file would show up there as source code rather than as data.
const CUSTOMER = ['CUSTREF', 'SECRET', String(process.pid)].join('-');
const ORDER = `ORDER-${String(100000 + (process.pid % 900000)).slice(0, 6)}`;

let local: Local;
let obs: Observability;
let server: Server;

beforeAll(async () => {
  const started = await startBackends();
  local = started.local;
  obs = initObservability(
    {
      serviceName: 'redaction-app',
      // One policy, extended by the user, for every sink.
      redaction: { fieldNames: ['customer_ref'], patterns: [/ORDER-\d{6}/] },
      xray: { samplingRules: SAMPLE_EVERYTHING },
    },
    started.env,
  );
  const app = express();
  app.use(obs.express());
  app.get('/api/orders', async () => {
    await obs.span('load-order', async (span) => {
      span.setAttribute('customer_ref', CUSTOMER);
      span.setAttribute('note', `about ${ORDER}`);
      span.addMetadata('order', { customer_ref: CUSTOMER, note: ORDER }, 'shop');
      span.addAnnotation('note', ORDER);
      obs.logger.info(`loading ${ORDER}`, { customer_ref: CUSTOMER });
    });
    throw new Error(`cannot ship ${ORDER}`);
  });
  server = await listen(createServer(app));
});

afterAll(async () => {
  await close(server);
  await obs?.shutdown({ timeoutMs: 2000 });
  await local?.close();
});

describe('one redaction policy for all four sinks', () => {
  it('masks user-added field names and patterns in spans, segments, log events and Rollbar items', async () => {
    const res = await fetch(`${baseUrl(server)}/api/orders?customer_ref=${CUSTOMER}`);
    expect(res.status).toBe(500);
    await obs.forceFlush({ timeoutMs: 3000 });
    await local.waitFor(
      () =>
        local.spans({ name: 'load-order' }).length > 0 &&
        local.segments().length > 0 &&
        local.items().length > 0 &&
        local.logEvents().some((e) => e.message.includes('loading')),
    );
    const stores = {
      spans: JSON.stringify(local.spans()),
      segments: JSON.stringify(local.segments()),
      logs: JSON.stringify(local.logEvents()),
      items: JSON.stringify(local.items()),
    };
    for (const [store, text] of Object.entries(stores)) {
      expect(text, store).not.toContain(CUSTOMER);
      expect(text, store).not.toContain(ORDER);
    }
    // What was masked is still there, masked, not dropped.
    expect(local.spans({ name: 'load-order' })[0]?.attributes.customer_ref).toBe('[REDACTED]');
    expect(stores.logs).toContain('loading [REDACTED]');
  });
});
