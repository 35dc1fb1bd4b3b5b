import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  type BackendLifecycle,
  type BackendReport,
  type Diagnostics,
  diagnostics,
  onProcessExit,
  runOnce,
  settleWithin,
} from '@sightline/core';
import { registerContextManager, SightlineContextManager } from './contextManager';
import { BoundedSpanProcessor, CountingExporter, DeliveryState } from './delivery';
import { describeTracing } from './describe';
import { EncodingBatchProcessor } from './encodingProcessor';
import { enableInstrumentations } from './instrumentations';
import type { ResolvedTracingConfig } from './options';
import type { BatchTransport } from './otlpExporter';
import { createOtlpHttpTransport } from './otlpHttpTransport';
import { ContinuingTracer, createIdGenerator, createPropagator } from './propagation';
import { buildResource } from './resource';
import { createSampler, XRayRootAwareSampler } from './samplers';
import { TRACER_NAME } from './spans';
import { readTlsFiles, type TlsMaterial } from './tlsFiles';

const DEFAULT_TIMEOUT_MS = 5000;

/** The tracing backend the facade drives. None of its methods throws or rejects. */
export interface TracingBackend extends BackendLifecycle {
  readonly name: 'tracing';
  readonly config: ResolvedTracingConfig;
  /** Whether spans are being recorded and exported (false when off, or when another provider was already registered). */
  readonly active: boolean;
  /** Spans waiting in the queue now (never more than `config.batch.maxQueueSize`); in-flight ones are not counted. */
  queueDepth(): number;
  /** A tracer from this backend's provider (a no-op tracer when inactive). */
  tracer(name?: string, version?: string): Tracer;
}

/** Seams for tests and embedding. */
export interface StartTracingDeps {
  /** Replaces the OTLP/console exporter (the wrapping, counting and redaction still apply). */
  exporter?: SpanExporter;
  /** Where this backend's own warnings go. Default: `diagnostics('tracing')`. */
  diagnostics?: Diagnostics;
}

/** Returns `tracer(name)` wrapped so parent-less X-Ray roots continue (see `ContinuingTracer`). */
class SightlineTracerProvider extends NodeTracerProvider {
  private readonly wrapped = new Map<Tracer, Tracer>();
  /** By name alone (no version, no schema): `obs.span` asks for its tracer on every span. */
  private readonly byName = new Map<string, Tracer>();
  override getTracer(name: string, version?: string, options?: { schemaUrl?: string }): Tracer {
    if (version === undefined && options === undefined) {
      let t = this.byName.get(name);
      if (t === undefined) {
        t = this.wrap(name);
        if (this.byName.size < 1000) this.byName.set(name, t);
      }
      return t;
    }
    return this.wrap(name, version, options);
  }
  private wrap(name: string, version?: string, options?: { schemaUrl?: string }): Tracer {
    const tracer = super.getTracer(name, version, options);
    let w = this.wrapped.get(tracer);
    if (w === undefined) {
      w = new ContinuingTracer(tracer);
      this.wrapped.set(tracer, w);
    }
    return w;
  }
}

/**
 * The OTLP/HTTP transport (our own, `otlpHttpTransport.ts`), created when the first batch leaves. A
 * partial success (the collector kept the batch but refused some spans) is warned once.
 */
function createOtlpTransport(
  config: ResolvedTracingConfig,
  tls: TlsMaterial,
  diag: Diagnostics,
): BatchTransport {
  return createOtlpHttpTransport({
    url: config.url,
    headers: { ...config.headers },
    compression: config.compression,
    timeoutMillis: config.timeoutMs,
    tls,
    onPartialSuccess: (rejected, message) =>
      diag.warnOnce(
        'export:partial',
        `${config.url} refused ${rejected} span(s) of a batch${message ? `: ${message}` : ''}`,
      ),
  });
}

function inactiveBackend(config: ResolvedTracingConfig, summary: string): TracingBackend {
  const report = (): BackendReport => ({ sent: 0, dropped: {}, pending: 0 });
  return {
    name: 'tracing',
    config,
    active: false,
    describe: () => summary,
    forceFlush: async () => report(),
    shutdown: async () => report(),
    stats: report,
    queueDepth: () => 0,
    tracer: (name = TRACER_NAME, version) => trace.getTracerProvider().getTracer(name, version),
  };
}

/**
 * Starts tracing from a resolved configuration and registers it globally: tracer provider, context
 * manager (AsyncLocalStorage), propagator (W3C trace context + baggage + AWS X-Ray) and the http/https
 * and undici (fetch) instrumentations. Never throws: a setup failure is warned and yields an inactive
 * backend. `shutdown()` unregisters everything it registered.
 */
export function startTracing(config: ResolvedTracingConfig, deps: StartTracingDeps = {}): TracingBackend {
  const diag = deps.diagnostics ?? diagnostics('tracing');
  if (!config.enabled) return inactiveBackend(config, describeTracing(config));
  const registered = { trace: false, context: false, propagation: false };
  let unregisterInstrumentations: (() => void) | undefined;
  const undo = () => {
    try {
      unregisterInstrumentations?.();
      unregisterInstrumentations = undefined;
    } catch {
      // best effort: instrumentations un-patch themselves
    }
    if (registered.trace) trace.disable();
    if (registered.context) context.disable();
    if (registered.propagation) propagation.disable();
    registered.trace = registered.context = registered.propagation = false;
  };

  let provider: SightlineTracerProvider;
  let state: DeliveryState;
  let exporter: CountingExporter | undefined;
  try {
    state = new DeliveryState(config.batch.maxQueueSize, diag);
    const url = config.exporter === 'console' ? 'console' : config.url;
    const delivery = { url, honeycomb: config.honeycomb !== undefined, redaction: config.redaction, diag };
    let batching: SpanProcessor;
    if (deps.exporter === undefined && config.exporter !== 'console') {
      // OTLP: spans are encoded at the end of the turn they ended in (EncodingBatchProcessor); the
      // transport is made with the first batch, but its TLS files are read now, not on that batch's path.
      const tls = readTlsFiles(config.tls, diag);
      batching = new EncodingBatchProcessor(() => createOtlpTransport(config, tls, diag), state, {
        ...delivery,
        maxExportBatchSize: config.batch.maxExportBatchSize,
        scheduledDelayMs: config.batch.scheduledDelayMs,
        exportTimeoutMs: config.batch.exportTimeoutMs,
      });
    } else {
      exporter = new CountingExporter(deps.exporter ?? new ConsoleSpanExporter(), state, delivery);
      batching = new BatchSpanProcessor(exporter, {
        maxQueueSize: config.batch.maxQueueSize,
        maxExportBatchSize: config.batch.maxExportBatchSize,
        scheduledDelayMillis: config.batch.scheduledDelayMs,
        exportTimeoutMillis: config.batch.exportTimeoutMs,
      });
    }
    provider = new SightlineTracerProvider({
      resource: buildResource(config),
      idGenerator: createIdGenerator(config.idGenerator),
      sampler: new XRayRootAwareSampler(createSampler(config)),
      spanProcessors: [new BoundedSpanProcessor(batching, state)],
    });
    // Registered one by one (not provider.register()) to know what is ours to unregister, and to
    // notice a provider someone else registered first: two providers would split the traces.
    registered.trace = trace.setGlobalTracerProvider(provider);
    if (!registered.trace) {
      diag.warn('another OpenTelemetry tracer provider is already registered; Sightline tracing stays off');
      undo();
      void provider.shutdown().catch(() => undefined);
      return inactiveBackend(
        config,
        'tracing: off (another OpenTelemetry tracer provider was registered first)',
      );
    }
    registered.context = registerContextManager(new SightlineContextManager().enable());
    const propagator = createPropagator();
    registered.propagation = propagation.setGlobalPropagator(propagator);
    // With our propagator registered, a request without its headers need not be extracted; with
    // another one (registered first), every request is.
    const propagationHeaders = registered.propagation
      ? propagator.fields().map((name) => name.toLowerCase())
      : undefined;
    unregisterInstrumentations = enableInstrumentations(
      provider,
      config.instrumentations,
      propagationHeaders,
    );
  } catch (error) {
    diag.error(
      `tracing could not start and stays off: ${error instanceof Error ? error.message : String(error)}`,
    );
    undo();
    return inactiveBackend(config, 'tracing: off (failed to start)');
  }

  // At process `exit` no later turn runs: an export needs one (and its answer), so what is left is
  // counted where it can still be seen, as CloudWatch Logs counts its unsent events.
  const onExit = () => {
    const { queued, inFlight } = state;
    if (queued + inFlight === 0) return;
    const unanswered = inFlight > 0 ? ` (${inFlight} of them in an export not answered yet)` : '';
    diag.warn(`${queued + inFlight} span(s) were not exported before the process exited${unanswered}`);
  };
  const stopAtExit = onProcessExit(onExit);

  let final: BackendReport | undefined;
  const flushAll = () => provider.forceFlush().then(() => exporter?.forceFlush());
  // The first call's deadline counts; later calls get the same promise (idempotent).
  let shutdownTimeout: number | undefined;
  const doShutdown = runOnce(async (): Promise<BackendReport> => {
    const deadline = shutdownTimeout ?? DEFAULT_TIMEOUT_MS;
    const outcome = await settleWithin(provider.shutdown(), deadline);
    const report = state.report();
    if (outcome.status === 'timeout' && report.pending > 0) {
      // What the deadline cut off is lost: counted, and left in `pending` as the contract says.
      state.frozen = true;
      state.drops.add('shutdown_timeout', report.pending);
      diag.warn(`shutdown deadline (${deadline} ms) passed with ${report.pending} span(s) not delivered`);
    }
    undo();
    stopAtExit();
    final = state.report();
    return final;
  });

  return {
    name: 'tracing',
    config,
    active: true,
    describe: () => describeTracing(config),
    async forceFlush(timeoutMs = DEFAULT_TIMEOUT_MS) {
      if (final !== undefined) return final;
      await settleWithin(flushAll(), timeoutMs);
      return state.report();
    },
    shutdown(timeoutMs = DEFAULT_TIMEOUT_MS) {
      shutdownTimeout ??= timeoutMs;
      return doShutdown();
    },
    stats: () => final ?? state.report(),
    queueDepth: () => state.queued,
    tracer: (name = TRACER_NAME, version) => provider.getTracer(name, version),
  };
}
