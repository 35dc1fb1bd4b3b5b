import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventSize } from '../src/limits';
import { splitMessage } from '../src/oversize';
import { awsError, FakeSender, networkError } from './fakeSender';
import { fakeBackend } from './helpers';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const HOUR = 3600_000;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const put = fc.record({
  kind: fc.constant('put' as const),
  bytes: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 900, max: 4000 })),
  wide: fc.boolean(),
  offsetMs: fc.oneof(fc.integer({ min: -30 * HOUR, max: 3 * HOUR }), fc.constant(0)),
  stream: fc.constantFrom(undefined, 's1', 's2'),
});
const advance = fc.record({
  kind: fc.constant('advance' as const),
  ms: fc.integer({ min: 0, max: 120_000 }),
});
const fault = fc.record({
  kind: fc.constant('fault' as const),
  what: fc.constantFrom('throttle', '5xx', 'network', 'partial', 'deleteStream'),
});
const flush = fc.constant({ kind: 'flush' as const });
const command = fc.oneof(
  { arbitrary: put, weight: 6 },
  { arbitrary: advance, weight: 2 },
  { arbitrary: fault, weight: 2 },
  { arbitrary: flush, weight: 1 },
);

// 1- to 4-byte UTF-8 characters (fast-check's 'binary' strings are slow to generate).
const utf8Text = fc
  .array(fc.constantFrom('a', 'z', ' ', 'é', 'ß', '€', '中', '😀', '𝄞'), { minLength: 1, maxLength: 3000 })
  .map((chars) => chars.join(''));

const settings = fc.record({
  maxBatchEvents: fc.integer({ min: 1, max: 30 }),
  maxBatchBytes: fc.integer({ min: 1024, max: 16_384 }),
  maxQueueEvents: fc.integer({ min: 5, max: 200 }),
  overflow: fc.constantFrom('drop-newest' as const, 'drop-oldest' as const),
  oversize: fc.constantFrom('split' as const, 'truncate' as const),
  maxConcurrentPuts: fc.integer({ min: 1, max: 4 }),
});

describe('properties', () => {
  it('any sequence of events and faults yields only valid requests and loses nothing uncounted', async () => {
    await fc.assert(
      fc.asyncProperty(settings, fc.array(command, { maxLength: 60 }), async (s, commands) => {
        vi.setSystemTime(T0);
        const sender = new FakeSender();
        const { backend } = fakeBackend({ ...s, maxEventBytes: 1024, retryMaxDelayMs: 10_000 }, {}, sender);
        let acceptedParts = 0;
        let refusedDrops = 0;
        const dropped = () => Object.values(backend.stats().dropped).reduce((a, b) => a + b, 0);
        let n = 0;
        for (const c of commands) {
          if (c.kind === 'put') {
            const body = (c.wide ? 'é' : 'x').repeat(c.wide ? Math.ceil(c.bytes / 2) : c.bytes);
            const message = c.bytes === 0 ? '' : `#${n++} ${body}`;
            const before = dropped();
            const ok = backend.put({
              message,
              timestamp: Date.now() + c.offsetMs,
              ...(c.stream ? { stream: c.stream } : {}),
            });
            if (ok)
              acceptedParts +=
                s.oversize === 'split' && eventSize(message) > 1024 ? splitMessage(message, 1024).length : 1;
            else refusedDrops += dropped() - before;
          } else if (c.kind === 'advance') {
            await vi.advanceTimersByTimeAsync(c.ms);
          } else if (c.kind === 'flush') {
            const p = backend.flush();
            await vi.advanceTimersByTimeAsync(60_000);
            await p;
          } else if (c.what === 'deleteStream') {
            sender.groups.get('app')?.streams.clear();
          } else {
            sender.next.push((call) => {
              if (c.what === 'throttle') return awsError('ThrottlingException');
              if (c.what === '5xx') return awsError('ServiceUnavailableException', 503);
              if (c.what === 'network') return networkError();
              const n = call.events.length;
              return {
                rejectedLogEventsInfo: {
                  tooOldLogEventEndIndex: Math.min(1, n),
                  tooNewLogEventStartIndex: n - 1,
                },
              };
            });
          }
        }
        const done = backend.shutdown(600_000);
        await vi.advanceTimersByTimeAsync(600_000);
        const report = await done;
        expect(sender.violations).toEqual([]);
        expect(report.pending).toBe(0);
        expect(report.sent).toBe(sender.stored.length);
        const total = Object.values(report.dropped).reduce((a, b) => a + b, 0);
        expect(report.sent + total - refusedDrops).toBe(acceptedParts);
        expect(report.dropped.shutdown_timeout ?? 0).toBe(0);
        for (const p of sender.puts) {
          expect(p.events.length).toBeLessThanOrEqual(s.maxBatchEvents);
          expect(p.events.reduce((a, e) => a + eventSize(e.message), 0)).toBeLessThanOrEqual(
            Math.max(s.maxBatchBytes, 1024),
          );
        }
      }),
      { numRuns: 60 },
    );
  });

  it('split parts always fit and reassemble to the original bytes', () => {
    fc.assert(
      fc.property(utf8Text, fc.integer({ min: 1024, max: 4096 }), (s, max) => {
        const parts = splitMessage(s, max);
        for (const p of parts) expect(eventSize(p)).toBeLessThanOrEqual(max);
        const rebuilt = parts
          .map((p, i) => p.slice(0, p.length - ` …[part ${i + 1}/${parts.length}]`.length))
          .join('');
        expect(Buffer.from(rebuilt, 'utf8').equals(Buffer.from(s, 'utf8'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
