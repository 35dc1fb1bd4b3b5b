import type { Local, StoredSegment } from '@sightline/local';
import type { RequestInfo } from '../src/requestSegment';

/** The Cruddur rule as `aws xray create-sampling-rule --cli-input-json file://aws/json/xray.json` takes it. */
export const CRUDDUR_RULE = {
  SamplingRule: {
    RuleName: 'Cruddur',
    ResourceARN: '*',
    Priority: 9000,
    FixedRate: 0.1,
    ReservoirSize: 5,
    ServiceName: 'backend-flask',
    ServiceType: '*',
    Host: '*',
    HTTPMethod: '*',
    URLPath: '*',
    Version: 1,
  },
};

/** Samples everything: tests about documents must not depend on chance. */
export const SAMPLE_ALL = { version: 2, rules: [], default: { fixed_target: 0, rate: 1 } };

export function request(url: string, headers: Record<string, string> = {}): RequestInfo {
  return {
    method: 'GET',
    url,
    headers: { host: '127.0.0.1:4567', 'user-agent': 'vitest', ...headers },
    remoteAddress: '127.0.0.1',
  };
}

/** Waits until the receiver holds the document with this id. */
export function segmentWithId(local: Local, id: string): Promise<StoredSegment> {
  return local.waitFor(() => local.segments().find((s) => s.id === id));
}

/** A seeded PRNG (mulberry32): reproducible sampling runs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

// biome-ignore lint/suspicious/noExplicitAny: received JSON documents are asserted field by field.
export type Doc = Record<string, any>;
