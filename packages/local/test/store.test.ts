import { afterEach, describe, expect, it } from 'vitest';
import { type Local, startLocal } from '../src/index';
import { CappedList } from '../src/store';

describe('memory caps', () => {
  let local: Local | undefined;
  afterEach(async () => {
    await local?.close();
  });

  it('a capped list evicts the oldest records first and counts them', () => {
    const list = new CappedList<number>(10);
    for (let i = 0; i < 25; i++) list.push(i);
    expect(list.size).toBeLessThanOrEqual(10);
    expect(list.all().at(-1)).toBe(24);
    expect(list.evicted + list.size).toBe(25);
    expect(list.all()[0]).toBe(list.evicted);
  });

  it('received data past a cap evicts the oldest and shows in stats()', async () => {
    local = await startLocal({ maxSpans: 10, maxRequests: 3 });
    const spans = Array.from({ length: 25 }, (_, i) => ({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: `s${i}`,
    }));
    for (const chunk of [spans.slice(0, 12), spans.slice(12)]) {
      await fetch(`${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: chunk }] }] }),
      });
    }
    const stats = local.stats();
    expect(stats.spans).toBeLessThanOrEqual(10);
    expect(stats.evicted.spans).toBe(25 - stats.spans);
    expect(local.spans().at(-1)?.name).toBe('s24');
    expect(stats.requests).toBe(2);
    local.clear();
    expect(local.stats().evicted.spans).toBe(0);
  });

  it('clear() forgets records but keeps log groups', async () => {
    local = await startLocal();
    await fetch(`${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(local.rejections()).toHaveLength(1);
    local.clear();
    expect(local.stats()).toMatchObject({ spans: 0, requests: 0, rejections: 0 });
  });
});
