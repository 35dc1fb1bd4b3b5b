// @sightline/tracing side by side with the plain OpenTelemetry SDK, same run, against @sightline/local
// (in this process, loopback only). Two measurements:
//   1. the cost of withSpan() against raw tracer.startActiveSpan() on the same tracer (target ≤ 1.2×),
//      sync and async, interleaved rounds, median ns per span;
//   2. spans per second exported over OTLP/HTTP protobuf to local, Sightline's backend against
//      NodeTracerProvider + BatchSpanProcessor + OTLPTraceExporter with the same limits, while the
//      producer runs flat out; the queue depth is sampled and must stay within maxQueueSize.
// Usage: node bench/tracing.bench.mjs [--quick]       (built packages: pnpm -r run build first)
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { startLocal } from '@sightline/local';
import { resolveTracingConfig, startTracing, withSpan } from '@sightline/tracing';

const quick = process.argv.includes('--quick');
const OPS = quick ? 5_000 : 20_000;
const ROUNDS = quick ? 5 : 15;
const THROUGHPUT_SPANS = quick ? 50_000 : 300_000;
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
  // Spans go through the whole pipeline (sampler, bounded processor, batch, redaction) into an exporter
  // that discards them: decoding a million spans in this same process would only add noise.
  const discard = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
  const backend = startTracing(
    config(local.env, {
      batch: { maxQueueSize: MAX_QUEUE, maxExportBatchSize: BATCH, scheduledDelayMs: 200 },
    }),
    { exporter: discard },
  );
  const tracer = backend.tracer('bench');
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
      const t = process.hrtime.bigint();
      await cases[name]();
      const ns = Number(process.hrtime.bigint() - t) / OPS;
      if (round > 0) samples[name].push(ns); // round 0 is warm-up
      await tick();
    }
  }
  const report = await backend.shutdown(10_000);
  console.log(
    `\n1. Cost per span, same tracer, full pipeline into a discarding exporter (${ROUNDS} rounds × ${fmt(OPS)} spans, median)`,
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
  const tracer = provider.getTracer('bench');
  const t0 = process.hrtime.bigint();
  const produceS = await produce(tracer, () => undefined);
  await provider.shutdown().catch(() => undefined);
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
  const ours = await sightlineThroughput(local);
  trace.disable();
  const plain = await plainOtelThroughput(local);
  console.log(
    `\n2. Export throughput: ${fmt(THROUGHPUT_SPANS)} spans produced flat out (chunks of ${CHUNK}, a setImmediate between), queue ${MAX_QUEUE}, batch ${BATCH}`,
  );
  console.table(
    [ours, plain].map((r) => ({
      contender: r.name,
      delivered: fmt(r.received),
      'delivered spans/s': fmt(r.received / r.totalS),
      'produce spans/s': fmt(THROUGHPUT_SPANS / r.produceS),
      dropped: JSON.stringify(r.dropped),
      'max queue depth': typeof r.maxDepth === 'number' ? fmt(r.maxDepth) : r.maxDepth,
    })),
  );
  const ratio = ours.received / ours.totalS / (plain.received / plain.totalS);
  console.log(`   delivered spans/s ratio sightline/plain: ${ratio.toFixed(2)}×`);
  console.log(
    `   queue bound held: ${ours.maxDepth <= MAX_QUEUE ? 'yes' : 'NO'} (max ${ours.maxDepth} ≤ ${MAX_QUEUE})`,
  );
  if (ours.maxDepth > MAX_QUEUE) process.exitCode = 1;
}

const local = await startLocal({ maxSpans: THROUGHPUT_SPANS + 1 });
try {
  await overhead(local);
  await throughput(local);
} finally {
  await local.close();
}
