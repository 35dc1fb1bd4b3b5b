import { defaultRedactionPolicy } from '@sightline/core';
import { expect, vi } from 'vitest';
import { MAX_DATAGRAM_BYTES } from '../../src/config';
import { request } from '../helpers';
import { currentSide, type Handle, referenceSide, type Side } from './sides';

/**
 * Plays a script of calls on the package and on the reference (./sides.ts) with the same fake clock,
 * and compares every datagram. Ids of subsegments and exceptions are random on both sides: they are
 * renamed in order of first appearance, which keeps references (a `cause` naming a subsegment) checked.
 * Callers use `vi.useFakeTimers({ toFake: ['Date'] })`.
 */

const TRACE_ID = '1-6b09dea6-321888c428b0b1135580fd1a';
const SEGMENT_ID = 'a1b2c3d4e5f60718';
export const PARENT_ID = '0f1e2d3c4b5a6978';
const START_MS = 1_767_000_000_123;

export type Script = (side: Side, segment: Handle) => Promise<void> | void;

export interface Run {
  sent: string[];
  drops: string[];
}

/** Advances the (fake) clock by 7 ms before every call, so start and end times differ and line up. */
function timed(side: Side): Side {
  let now = START_MS;
  vi.setSystemTime(now);
  const step = () => {
    now += 7;
    vi.setSystemTime(now);
  };
  const later = <T>(call: () => T): T => {
    step();
    return call();
  };
  return {
    sent: side.sent,
    drops: side.drops,
    open: (o) => later(() => side.open(o)),
    subsegment: (p, n, o) => later(() => side.subsegment(p, n, o)),
    annotate: (e, k, v) => later(() => side.annotate(e, k, v)),
    metadata: (e, k, v, ns) => later(() => side.metadata(e, k, v, ns)),
    addError: (e, err) => later(() => side.addError(e, err)),
    end: (s, err) => later(() => side.end(s, err)),
    close: (r) => later(() => side.close(r)),
    shutdown: () => later(() => side.shutdown()),
  };
}

async function play(side: Side, script: Script, rule?: string): Promise<Run> {
  const clocked = timed(side);
  const segment = clocked.open({
    traceId: TRACE_ID,
    id: SEGMENT_ID,
    parentId: PARENT_ID,
    rule,
    request: request('/api/activities/@andrewbrown?x=1&token=abc', {
      'x-forwarded-for': '203.0.113.9, 10.0.0.1',
    }),
  });
  await script(clocked, segment);
  return { sent: [...side.sent], drops: [...side.drops] };
}

function renameIds(sent: string[]): string[] {
  const names = new Map<string, string>();
  return sent.map((json) =>
    json.replace(/"([0-9a-f]{16})"/g, (_, id: string) => {
      let name = names.get(id);
      if (name === undefined) {
        name = `#${String(names.size).padStart(15, '0')}`;
        names.set(id, name);
      }
      return `"${name}"`;
    }),
  );
}

/** Runs `script` on both sides and asserts the same datagrams and drops; returns ours for more checks. */
export async function expectSameDocuments(
  script: Script,
  options: { rule?: string; maxDatagramBytes?: number } = {},
): Promise<Run> {
  const max = options.maxDatagramBytes ?? MAX_DATAGRAM_BYTES;
  const reference = await play(referenceSide(max, defaultRedactionPolicy), script, options.rule);
  const ours = await play(currentSide(max), script, options.rule);
  expect(reference.sent.length + reference.drops.length).toBeGreaterThan(0);
  expect(renameIds(ours.sent)).toEqual(renameIds(reference.sent));
  expect(ours.drops).toEqual(reference.drops);
  return ours;
}

// Errors are made outside the scripts, once, so both sides see the same stack text.
export function errorWithFrames(message: string, frames: number): Error {
  const error = new Error(message);
  const lines = Array.from(
    { length: frames },
    (_, i) => `    at handler${i} (/srv/app/routes/activities.js:${i + 1}:${(i % 80) + 1})`,
  );
  error.stack = [`Error: ${message}`, ...lines, '    at <anonymous>', '    at node:internal/x:1:2'].join(
    '\n',
  );
  return error;
}
