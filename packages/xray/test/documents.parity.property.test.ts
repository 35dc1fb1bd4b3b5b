import fc from 'fast-check';
import { afterEach, beforeEach, describe, it, vi } from 'vitest';
import { errorWithFrames, expectSameDocuments } from './reference/play';
import type { Handle, Side } from './reference/sides';

/**
 * Random scripts of the calls a service makes (subsegments opened and ended in any order, annotations,
 * metadata and errors on any entity, before or after its children, a response status, shutdown), played
 * on our classes and on aws-xray-sdk-core's: the datagrams must be the same bytes. The optional keys'
 * order is what these catch: it follows the order the calls came in.
 */

// Made once, outside the scripts: both sides must see the same objects (identity decides the
// reference form of `cause`) and the same stack text.
const ERRORS: unknown[] = [
  errorWithFrames('db down', 3),
  new TypeError('cannot read x'),
  'a string error',
  errorWithFrames('Authorization: Bearer abcdef123456', 1),
];

const entity = fc.nat(40);
const command = fc.oneof(
  fc.record({ op: fc.constant('sub' as const), parent: entity, name: fc.string({ maxLength: 12 }) }),
  fc.record({
    op: fc.constant('annotate' as const),
    target: entity,
    key: fc.constantFrom('handle', 'n', 'ok', 'bad key', 'password'),
    value: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.double()),
  }),
  fc.record({
    op: fc.constant('metadata' as const),
    target: entity,
    key: fc.constantFrom('key', 'token', 'list'),
    value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(null), fc.string({ maxLength: 300 })),
    namespace: fc.constantFrom(undefined, 'cruddur', 'AWS.x'),
  }),
  fc.record({ op: fc.constant('error' as const), target: entity, error: fc.nat(ERRORS.length - 1) }),
  fc.record({
    op: fc.constant('end' as const),
    target: entity,
    error: fc.option(fc.nat(ERRORS.length - 1), { nil: undefined }),
  }),
  fc.record({
    op: fc.constant('close' as const),
    status: fc.constantFrom(200, 404, 422, 429, 500, 503),
    error: fc.option(fc.nat(ERRORS.length - 1), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('shutdown' as const) }),
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

/** Plays `commands`; each entity index picks among the segment and the subsegments opened so far. */
function script(commands: Command[]) {
  return async (side: Side, segment: Handle): Promise<void> => {
    const entities: Handle[] = [segment];
    const open = new Set<Handle>();
    const pick = (i: number) => entities[i % entities.length] as Handle;
    let closed = false;
    for (const c of commands) {
      switch (c.op) {
        case 'sub': {
          const sub = side.subsegment(pick(c.parent), c.name);
          entities.push(sub);
          open.add(sub);
          break;
        }
        case 'annotate':
          side.annotate(pick(c.target), c.key, c.value);
          break;
        case 'metadata':
          side.metadata(pick(c.target), c.key, c.value, c.namespace);
          break;
        case 'error':
          side.addError(pick(c.target), ERRORS[c.error]);
          break;
        case 'end': {
          // Each subsegment ends once (the package's subsegment() cannot end one twice).
          const sub = [...open][c.target % Math.max(open.size, 1)];
          if (sub === undefined) break;
          open.delete(sub);
          await side.end(sub, c.error === undefined ? undefined : ERRORS[c.error]);
          break;
        }
        case 'close':
          if (closed) break;
          closed = true;
          side.close({ statusCode: c.status, error: c.error === undefined ? undefined : ERRORS[c.error] });
          break;
        case 'shutdown':
          // Last: after it the package no longer keeps a context for new calls.
          if (!closed) side.close({ statusCode: 200 });
          await side.shutdown();
          return;
      }
    }
    if (!closed) side.close({ statusCode: 200 });
    for (const sub of open) await side.end(sub);
  };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('documents match the aws-xray-sdk-core classes for any order of calls', () => {
  it('random scripts, with the default datagram size and with a small one (splitting)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { maxLength: 40 }),
        fc.constantFrom(65_507, 1024),
        async (commands, maxDatagramBytes) => {
          await expectSameDocuments(script(commands), { maxDatagramBytes });
        },
      ),
      { numRuns: 300 },
    );
  });
});
