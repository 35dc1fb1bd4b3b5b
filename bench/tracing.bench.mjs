// @sightline/tracing side by side with the plain OpenTelemetry SDK, same run, against @sightline/local
// (in this process, loopback only). Two measurements:
//   1. the cost of withSpan() against raw tracer.startActiveSpan() on the same tracer (target ≤ 1.2×),
//      sync and async, interleaved rounds, median ns per span;
//   2. spans per second exported over OTLP/HTTP protobuf to local, Sightline's backend against
//      NodeTracerProvider + BatchSpanProcessor + OTLPTraceExporter with the same limits, while the
//      producer runs flat out; the queue depth is sampled and must stay within maxQueueSize.
// Usage: node bench/tracing.bench.mjs [--quick]       (built packages: pnpm -r run build first)
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { startLocal } from '@sightline/local';
import { resolveTracingConfig, startTracing, withSpan } from '@sightline/tracing';

const quick = process.argv.includes('--quick');
const OPS = quick ? 5_000 : 10_000;
const ROUNDS = quick ? 5 : 11;
const THROUGHPUT_SPANS = quick ? 50_000 : 150_000;
const CHUNK = 1_000;
const MAX_QUEUE = 2048;
const BATCH = 512;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tick = () => new Promise((r) => setImmediate(r));
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

function config(env, options = {}) {
  const { config: c, problems } = resolveTracingConfig(
    { sampler: 'always_on', instrumentations: { http: false, undici: false }, ...options },
    { OTEL_SERVICE_NAME: 'bench', ...env },
  );
  if (problems.length > 0) throw new Error(JSON.stringify(problems));
  return c;
}

// ------------------------------------------------------------------ 1. withSpan vs startActiveSpan
async function overhead(local) {
  // Spans go through the whole pipeline (sampler, bounded processor, batch queue) into an exporter that
  // discards them (decoding a million spans in this same process would only add noise). The queue holds
  // a whole case and nothing is exported while a case runs, so every span of every case does the same
  // work; the queue is drained between cases, outside the timing.
  const discard = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
  const backend = startTracing(
    config(local.env, {
      batch: { maxQueueSize: OPS, maxExportBatchSize: OPS, scheduledDelayMs: 3_600_000 },
    }),
    { exporter: discard },
  );
  const tracer = backend.tracer('bench');
  // The first export waits for the resource's async host.id, which needs event-loop turns, not microtasks.
  const drain = async () => {
    while (backend.queueDepth() > 0) {
      await backend.forceFlush(10_000);
      await tick();
    }
  };
  let sink = 0;
  const work = () => {
    sink++;
  };
  const cases = {
    'raw startActiveSpan (sync)': () => {
      for (let i = 0; i < OPS; i++)
        tracer.startActiveSpan('op', (span) => {
          try {
            work();
          } finally {
            span.end();
          }
        });
    },
    'withSpan (sync)': () => {
      for (let i = 0; i < OPS; i++) withSpan('op', work, { tracer });
    },
    'raw startActiveSpan (async)': async () => {
      for (let i = 0; i < OPS; i++)
        await tracer.startActiveSpan('op', async (span) => {
          try {
            await work();
          } finally {
            span.end();
          }
        });
    },
    'withSpan (async)': async () => {
      for (let i = 0; i < OPS; i++) await withSpan('op', async () => work(), { tracer });
    },
  };
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS + 1; round++) {
    // Alternate the order each round so neither side always runs on a warmer heap.
    const names = Object.keys(cases);
    if (round % 2 === 1) names.reverse();
    for (const name of names) {
      globalThis.gc?.();
      // CPU time of this process, not wall time: on a shared machine the wall clock also counts the
      // time the process waited for a core, which swamps a 20 % difference.
      const t = process.cpuUsage();
      await cases[name]();
      const used = process.cpuUsage(t);
      const ns = ((used.user + used.system) * 1000) / OPS;
      if (round > 0) samples[name].push(ns); // round 0 is warm-up
      await drain();
    }
  }
  const report = await backend.shutdown(10_000);
  console.log(
    `\n1. Cost per span, same tracer, full pipeline into a discarding exporter (${ROUNDS} rounds × ${fmt(OPS)} spans, median CPU time per span)`,
  );
  const rows = [];
  for (const kind of ['sync', 'async']) {
    const raw = median(samples[`raw startActiveSpan (${kind})`]);
    const ours = median(samples[`withSpan (${kind})`]);
    rows.push({
      case: kind,
      'raw ns/span': fmt(raw),
      'withSpan ns/span': fmt(ours),
      ratio: `${(ours / raw).toFixed(2)}×`,
    });
  }
  console.table(rows);
  console.log(
    `   target ≤ 1.20×; backend after: sent ${fmt(report.sent)}, dropped ${JSON.stringify(report.dropped)} (sink ${sink})`,
  );
}

// ------------------------------------------------------------------ 2. export throughput
async function produce(tracer, onChunk) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < THROUGHPUT_SPANS; i += CHUNK) {
    for (let j = 0; j < CHUNK; j++) tracer.startSpan('load').end();
    onChunk();
    await tick(); // let the exporter's I/O run, as a server would between requests
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function sightlineThroughput(local) {
  local.clear();
  const backend = startTracing(
    config(local.env, {
      batch: { maxQueueSize: MAX_QUEUE, maxExportBatchSize: BATCH, scheduledDelayMs: 100 },
    }),
  );
  const tracer = backend.tracer('bench');
  let maxDepth = 0;
  const sample = () => {
    maxDepth = Math.max(maxDepth, backend.queueDepth());
  };
  const t0 = process.hrtime.bigint();
  const produceS = await produce(tracer, sample);
  const report = await backend.shutdown(30_000);
  const totalS = Number(process.hrtime.bigint() - t0) / 1e9;
  const received = local.stats().spans;
  return { name: '@sightline/tracing', produceS, totalS, received, dropped: report.dropped, maxDepth };
}

async function plainOtelThroughput(local) {
  local.clear();
  const exporter = new OTLPTraceExporter({ url: `${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces` });
  const provider = new NodeTracerProvider({
    sampler: new AlwaysOnSampler(),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        maxQueueSize: MAX_QUEUE,
        maxExportBatchSize: BATCH,
        scheduledDelayMillis: 100,
      }),
    ],
  });
  // Registered as a service would (AsyncLocalStorage context manager, W3C propagator), like ours.
  provider.register();
  const tracer = provider.getTracer('bench');
  const t0 = process.hrtime.bigint();
  const produceS = await produce(tracer, () => undefined);
  await provider.shutdown().catch(() => undefined);
  trace.disable();
  context.disable();
  propagation.disable();
  const totalS = Number(process.hrtime.bigint() - t0) / 1e9;
  const received = local.stats().spans;
  // The SDK only logs its drops; what did not arrive was dropped.
  return {
    name: 'OTel SDK (BSP + OTLP proto)',
    produceS,
    totalS,
    received,
    dropped: { uncounted: THROUGHPUT_SPANS - received },
    maxDepth: 'n/a',
  };
}

async function throughput(local) {
  // Two rounds in alternating order (A B, then B A): the first run of a process pays for JIT warm-up and
  // for the garbage of part 1. Each contender's better round is reported.
  const runs = { ours: [], plain: [] };
  for (const order of [
    ['ours', 'plain'],
    ['plain', 'ours'],
  ]) {
    for (const who of order) {
      globalThis.gc?.();
      runs[who].push(who === 'ours' ? await sightlineThroughput(local) : await plainOtelThroughput(local));
    }
  }
  const rate = (r) => r.received / r.totalS;
  const best = (rs) => rs.reduce((a, b) => (rate(b) > rate(a) ? b : a));
  const ours = best(runs.ours);
  const plain = best(runs.plain);
  const maxDepth = Math.max(...runs.ours.map((r) => r.maxDepth));
  console.log(
    `\n2. Export throughput: ${fmt(THROUGHPUT_SPANS)} spans produced flat out (chunks of ${CHUNK}, a setImmediate between), queue ${MAX_QUEUE}, batch ${BATCH}; better of 2 alternating rounds`,
  );
  console.table(
    [ours, plain].map((r) => ({
      contender: r.name,
      delivered: fmt(r.received),
      'delivered spans/s': fmt(rate(r)),
      'produce spans/s': fmt(THROUGHPUT_SPANS / r.produceS),
      dropped: JSON.stringify(r.dropped),
      'max queue depth': typeof r.maxDepth === 'number' ? fmt(r.maxDepth) : r.maxDepth,
    })),
  );
  console.log(`   delivered spans/s ratio sightline/plain: ${(rate(ours) / rate(plain)).toFixed(2)}×`);
  console.log(
    `   queue bound held in every round: ${maxDepth <= MAX_QUEUE ? 'yes' : 'NO'} (max ${maxDepth} ≤ ${MAX_QUEUE})`,
  );
  if (maxDepth > MAX_QUEUE) process.exitCode = 1;
}

const local = await startLocal({ maxSpans: THROUGHPUT_SPANS + 1 });
try {
  await overhead(local);
  await throughput(local);
} finally {
  await local.close();
}
