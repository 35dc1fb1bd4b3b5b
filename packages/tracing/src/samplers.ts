import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { ResolvedTracingConfig } from './options';
import { xrayRootSampledOut } from './propagation';

// The W3C Trace Context level 2 randomness: the rightmost 7 bytes (56 bits) of a trace id are random.
// With X-Ray-layout ids the first 8 hex digits are a timestamp, so only the tail is used.
const RANDOM_HEX_DIGITS = 14;
const RANDOM_SPACE = 2 ** 56;

/** The trace id's random tail as a fraction in [0, 1). Same id → same value in every service. */
export function traceIdFraction(traceId: string): number {
  const tail = traceId.slice(-RANDOM_HEX_DIGITS);
  // Two 28-bit halves: each fits a double exactly, the sum stays below 2^56.
  const hi = Number.parseInt(tail.slice(0, 7), 16);
  const lo = Number.parseInt(tail.slice(7), 16);
  if (Number.isNaN(hi) || Number.isNaN(lo)) return 1;
  return (hi * 2 ** 28 + lo) / RANDOM_SPACE;
}

/**
 * Keeps 1 trace in `sampleRate`, decided from the trace id alone (so every service of a trace agrees),
 * and records `SampleRate` on each sampled span: Honeycomb multiplies counts by it, so COUNT and
 * HEATMAP stay right after sampling (as Honeycomb's own DeterministicSampler did).
 */
export class DeterministicSampler implements Sampler {
  private readonly ratio: number;
  constructor(readonly sampleRate: number) {
    this.ratio = sampleRate >= 1 ? 1 / Math.floor(sampleRate) : 1;
  }

  shouldSample(
    _context: Context,
    traceId: string,
    _spanName: string,
    _spanKind: SpanKind,
    _attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    if (this.ratio < 1 && traceIdFraction(traceId) >= this.ratio) {
      return { decision: SamplingDecision.NOT_RECORD };
    }
    return { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { SampleRate: this.sampleRate } };
  }

  toString(): string {
    return `DeterministicSampler{sampleRate=${this.sampleRate}}`;
  }
}

/**
 * Honours `Sampled=0` of a parent-less X-Ray header (the caller, e.g. a load balancer, decided not to
 * trace), which the configured sampler cannot see since there is no parent span; otherwise delegates.
 */
export class XRayRootAwareSampler implements Sampler {
  constructor(private readonly inner: Sampler) {}

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (xrayRootSampledOut(context)) return { decision: SamplingDecision.NOT_RECORD };
    return this.inner.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return this.inner.toString();
  }
}

/** Builds the sampler the resolved configuration names. */
export function createSampler(
  config: Pick<ResolvedTracingConfig, 'sampler' | 'samplerRatio' | 'sampleRate'>,
): Sampler {
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(config.samplerRatio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.samplerRatio) });
    case 'deterministic':
      return new DeterministicSampler(config.sampleRate);
  }
}
