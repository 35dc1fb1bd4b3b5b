import { randomBytes } from 'node:crypto';
import { context, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { newXRayTraceId, xrayToOtelTraceId } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { describeSampler } from '../src/describe';
import { createSampler, DeterministicSampler, traceIdFraction } from '../src/samplers';

/** xorshift32: a seeded generator so the statistics below are the same on every run. */
function seededHex(seed: number): (digits: number) => string {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return (digits) => {
    let out = '';
    while (out.length < digits) out += next().toString(16).padStart(8, '0');
    return out.slice(0, digits);
  };
}

/** X-Ray-layout ids: a real timestamp prefix, seeded random tail. */
function xrayLayoutIds(n: number, seed: number): string[] {
  const hex = seededHex(seed);
  const prefix = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return Array.from({ length: n }, () => `${prefix}${hex(24)}`);
}

const sample = (sampler: ReturnType<typeof createSampler>, traceId: string) =>
  sampler.shouldSample(context.active(), traceId, 'span', SpanKind.INTERNAL, {}, []);

describe('DeterministicSampler', () => {
  it('keeps 1 in N of 20,000 seeded X-Ray-layout trace ids within ±10% of the expected count', () => {
    const ids = xrayLayoutIds(20_000, 42);
    for (const rate of [2, 10, 100]) {
      const sampler = new DeterministicSampler(rate);
      const kept = ids.filter(
        (id) => sample(sampler, id).decision === SamplingDecision.RECORD_AND_SAMPLED,
      ).length;
      const expected = ids.length / rate;
      // Binomial standard deviation at N=100 is ~14 on 200; ±10% (plus 3σ slack for small counts) holds.
      const tolerance = Math.max(expected * 0.1, 3 * Math.sqrt(expected));
      expect(Math.abs(kept - expected)).toBeLessThan(tolerance);
    }
  });

  it('records SampleRate on every sampled span and decides the same way for the same trace id', () => {
    const sampler = new DeterministicSampler(4);
    const ids = xrayLayoutIds(200, 7);
    for (const id of ids) {
      const a = sample(sampler, id);
      const b = sample(new DeterministicSampler(4), id);
      expect(a.decision).toBe(b.decision);
      if (a.decision === SamplingDecision.RECORD_AND_SAMPLED) expect(a.attributes).toEqual({ SampleRate: 4 });
      else expect(a.attributes).toBeUndefined();
    }
  });

  it('keeps everything at rate 1 and a subset at a higher rate is contained in a lower one (nested samples)', () => {
    const ids = xrayLayoutIds(2000, 99);
    const kept = (rate: number) =>
      new Set(
        ids.filter(
          (id) => sample(new DeterministicSampler(rate), id).decision === SamplingDecision.RECORD_AND_SAMPLED,
        ),
      );
    expect(kept(1).size).toBe(ids.length);
    const k10 = kept(10);
    const k5 = kept(5);
    for (const id of k10) expect(k5.has(id)).toBe(true);
  });

  it('ignores the timestamp prefix of X-Ray ids (only the random tail counts)', () => {
    expect(traceIdFraction('00000000000000000000000000000000')).toBe(0);
    expect(traceIdFraction(`ffffffff${'f'.repeat(10)}${'0'.repeat(14)}`)).toBe(0);
    expect(traceIdFraction(`${'0'.repeat(18)}ffffffffffffff`)).toBeCloseTo(1, 10);
    const real = xrayToOtelTraceId(newXRayTraceId()) ?? '';
    const f = traceIdFraction(real);
    expect(f).toBeGreaterThanOrEqual(0);
    expect(f).toBeLessThan(1);
  });
});

describe('createSampler', () => {
  it('traceidratio keeps about the ratio of 20,000 seeded trace ids (±10%)', () => {
    const sampler = createSampler({ sampler: 'traceidratio', samplerRatio: 0.25, sampleRate: 1 });
    const hex = seededHex(1234);
    const ids = Array.from({ length: 20_000 }, () => hex(32));
    const kept = ids.filter(
      (id) => sample(sampler, id).decision === SamplingDecision.RECORD_AND_SAMPLED,
    ).length;
    expect(Math.abs(kept - 5000)).toBeLessThan(500);
  });

  it('always_on and always_off do what they say; parentbased follows a sampled-out parent', () => {
    const id = randomBytes(16).toString('hex');
    expect(sample(createSampler({ sampler: 'always_on', samplerRatio: 1, sampleRate: 1 }), id).decision).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(
      sample(createSampler({ sampler: 'always_off', samplerRatio: 1, sampleRate: 1 }), id).decision,
    ).toBe(SamplingDecision.NOT_RECORD);
    const parentOff = trace.setSpanContext(context.active(), {
      traceId: id,
      spanId: '0123456789abcdef',
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
    const pb = createSampler({ sampler: 'parentbased_always_on', samplerRatio: 1, sampleRate: 1 });
    expect(pb.shouldSample(parentOff, id, 's', SpanKind.SERVER, {}, []).decision).toBe(
      SamplingDecision.NOT_RECORD,
    );
    expect(sample(pb, id).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('describes itself for the start-up line', () => {
    expect(describeSampler({ sampler: 'deterministic', samplerRatio: 1, sampleRate: 10 })).toBe(
      'deterministic(1 in 10)',
    );
    expect(describeSampler({ sampler: 'parentbased_traceidratio', samplerRatio: 0.5, sampleRate: 1 })).toBe(
      'parentbased_traceidratio(0.5)',
    );
  });
});
