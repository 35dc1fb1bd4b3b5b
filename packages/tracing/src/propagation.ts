import {
  type Context,
  context,
  createContextKey,
  type Span,
  type SpanOptions,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { type IdGenerator, RandomIdGenerator } from '@opentelemetry/sdk-trace-base';
import { parseXRayTraceHeader, xrayToOtelTraceId } from '@sightline/core';
import { activeContext, applyInContext } from './contextManager';
import type { IdGeneratorName } from './options';

/** Context key holding the trace id of an X-Ray header that had a `Root=` but no `Parent=`. */
const XRAY_ROOT_KEY = createContextKey('@sightline/tracing xray root trace id');
/** Set (to `false`) when that parent-less header also said `Sampled=0`. */
const XRAY_ROOT_SAMPLED_KEY = createContextKey('@sightline/tracing xray root sampled');

/** Whether the context carries a parent-less X-Ray header that said `Sampled=0` (the caller's decision). */
export function xrayRootSampledOut(ctx: Context): boolean {
  return ctx.getValue(XRAY_ROOT_SAMPLED_KEY) === false && trace.getSpanContext(ctx) === undefined;
}

/**
 * The AWS X-Ray propagator, plus one case it drops: an `X-Amzn-Trace-Id` with `Root=` but no `Parent=`
 * (what an ALB or API Gateway sends first). There is no parent span to point at, so the trace id is kept
 * in the context and `ContinuingIdGenerator` gives it to the new root span: the trace continues.
 */
export class XRayRootPropagator implements TextMapPropagator {
  private readonly inner = new AWSXRayPropagator();

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    this.inner.inject(ctx, carrier, setter);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = this.inner.extract(ctx, carrier, getter);
    if (extracted !== ctx) return extracted;
    const raw = getter.get(carrier, 'x-amzn-trace-id');
    const header = parseXRayTraceHeader(Array.isArray(raw) ? raw[0] : raw);
    if (header === undefined || header.parent !== undefined) return extracted;
    const traceId = xrayToOtelTraceId(header.root);
    if (traceId === undefined) return extracted;
    const withRoot = ctx.setValue(XRAY_ROOT_KEY, traceId);
    return header.sampled === false ? withRoot.setValue(XRAY_ROOT_SAMPLED_KEY, false) : withRoot;
  }

  fields(): string[] {
    return this.inner.fields();
  }
}

/**
 * Wraps the id generator: a root span started in a context that carries a parent-less X-Ray root gets
 * that trace id. The SDK's id generator is not given the span's context, so `ContinuingTracer` makes
 * that context the active one while the span starts. The sampler sees the trace id afterwards, so
 * sampling stays consistent with the caller's trace.
 */
export class ContinuingIdGenerator implements IdGenerator {
  constructor(private readonly inner: IdGenerator) {}

  generateTraceId(): string {
    const active = activeContext();
    const root = active.getValue(XRAY_ROOT_KEY);
    // Only when no valid parent span is in the context (a child must keep its parent's trace id anyway).
    if (typeof root === 'string' && trace.getSpanContext(active) === undefined) return root;
    return this.inner.generateTraceId();
  }

  generateSpanId(): string {
    return this.inner.generateSpanId();
  }
}

export function createIdGenerator(name: IdGeneratorName): IdGenerator {
  return new ContinuingIdGenerator(name === 'xray' ? new AWSXRayIdGenerator() : new RandomIdGenerator());
}

/**
 * W3C `traceparent`/`tracestate`, W3C `baggage` and `X-Amzn-Trace-Id`, injected all three and extracted
 * in that order: when a caller sends both trace headers, the W3C one (listed last among the trace
 * propagators) wins, because extraction runs left to right and each one overwrites the span context.
 */
export function createPropagator(): TextMapPropagator {
  return new CompositePropagator({
    propagators: [new XRayRootPropagator(), new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
}

/**
 * A tracer that starts a root span inside the context it is given when that context carries a
 * parent-less X-Ray root (see `XRayRootPropagator`), so that `ContinuingIdGenerator` can read it.
 * Instrumentations pass the extracted context explicitly without making it active, hence this wrapper.
 */
export class ContinuingTracer implements Tracer {
  constructor(private readonly inner: Tracer) {}

  startSpan(name: string, options?: SpanOptions, ctx: Context = activeContext()): Span {
    if (ctx.getValue(XRAY_ROOT_KEY) === undefined || trace.getSpan(ctx) !== undefined) {
      return this.inner.startSpan(name, options, ctx);
    }
    return context.with(ctx, () => this.inner.startSpan(name, options, ctx));
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a?: SpanOptions | F,
    b?: Context | F,
    c?: F,
  ): ReturnType<F> | undefined {
    // Same argument forms as the SDK's Tracer.startActiveSpan.
    let options: SpanOptions | undefined;
    let ctx: Context | undefined;
    let fn: F;
    if (typeof a === 'function') fn = a;
    else if (typeof b === 'function') {
      options = a;
      fn = b;
    } else {
      options = a;
      ctx = b;
      fn = c as F;
    }
    if (typeof fn !== 'function') return undefined;
    const parent = ctx ?? activeContext();
    const span = this.startSpan(name, options, parent);
    return applyInContext(trace.setSpan(parent, span), fn as (s: Span) => ReturnType<F>, undefined, [span]);
  }
}
