// One small Express app, instrumented four ways (argv[2]): bare, sightline, nodesdk, xray (and als: bare
// with an AsyncLocalStorage store through each request, the context tax alone; datagram and floor: what
// the protocols alone cost, see floor.mjs; spin: bare made slower by a busy wait of SPIN_US µs per
// request, 100 by default, `spin@SPIN_US=150`, to see what a slower server pays whatever makes it slow;
// garbage: bare allocating GARBAGE_KB, 15 by default, of short-lived small objects per request;
// emitpatch: bare with the http classes' emit wrapped by a function that only forwards).
// Telemetry goes to @sightline/local (its env is passed by the benchmark). Prints `ready <port>`.
// `sightline:<backend>[+<backend>…]` (tracing, xray, cwlogs, errors or none) keeps only those backends
// on, to see what each one costs.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [variant, only] = process.argv[2].split(':');
const activities = () => [
  {
    uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
    handle: 'Andrew Brown',
    message: 'Cloud is very fun!',
    likes_count: 5,
  },
  {
    uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67',
    handle: 'Worf',
    message: 'I am out of prune juice',
    likes: 0,
  },
  {
    uuid: '248959df-3079-4947-b847-9e0892d1bab4',
    handle: 'Garek',
    message: 'My dear doctor, I am just simple tailor',
    likes: 0,
  },
];

let work = (fn) => fn();
let before = () => {};
let after = () => {};
let stop = async () => {};

if (variant === 'sightline') {
  // SIGHTLINE_BENCH_FROM=<another checkout, built>: that checkout's facade, to compare two versions of
  // the code side by side in one run (`sightline@SIGHTLINE_BENCH_FROM=/tmp/base`).
  const from = process.env.SIGHTLINE_BENCH_FROM;
  const { initObservability } = await import(
    from ? pathToFileURL(join(from, 'packages/observability/dist/index.js')).href : '@sightline/observability'
  );
  const off = (backend) => only !== undefined && !only.split('+').includes(backend);
  const obs = initObservability({
    serviceName: 'bench',
    printSummary: false,
    // The access log goes to CloudWatch Logs, never to the console: a single-backend variant measures
    // that backend, not a synchronous write to the benchmark's stdout pipe.
    logger: { console: false },
    // Everything sampled: the same work as the anchors with everything on.
    xray: off('xray')
      ? false
      : { samplingRules: { version: 2, rules: [], default: { fixed_target: 0, rate: 1 } } },
    tracing: off('tracing') ? false : undefined,
    cwlogs: off('cwlogs') ? false : undefined,
    errors: off('errors') ? false : undefined,
  });
  work = (fn) => obs.span('home-activities-mock-data', fn);
  before = (app) => app.use(obs.express());
  stop = () => obs.shutdown({ timeoutMs: 5000 });
} else if (variant === 'nodesdk') {
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = await import('@opentelemetry/instrumentation-express');
  const { trace } = await import('@opentelemetry/api');
  const sdk = new NodeSDK({
    serviceName: 'bench',
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
  });
  sdk.start();
  stop = () => sdk.shutdown();
  const tracer = trace.getTracer('bench');
  work = (fn) =>
    tracer.startActiveSpan('home-activities-mock-data', (span) => {
      try {
        return fn();
      } finally {
        span.end();
      }
    });
} else if (variant === 'als') {
  // No telemetry: only an AsyncLocalStorage store active through each request, the context every
  // tracer keeps (Node 20's AsyncLocalStorage copies it onto each async resource made meanwhile).
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const storage = new AsyncLocalStorage();
  before = (app) => app.use((req, _res, next) => storage.run({ req }, next));
} else if (variant === 'emitpatch') {
  // No telemetry: the emit of IncomingMessage, ServerResponse and http.Server replaced by a function that
  // only forwards, as the server-span patches are before their lookup, to see what the patching costs.
  const http = await import('node:http');
  for (const proto of [
    http.IncomingMessage.prototype,
    http.ServerResponse.prototype,
    http.Server.prototype,
  ]) {
    const original = proto.emit;
    proto.emit = function forwardEmit() {
      // biome-ignore lint/complexity/noArguments: forwards every argument, as the real patch does
      return Reflect.apply(original, this, arguments);
    };
  }
} else if (variant === 'garbage') {
  // No telemetry: GARBAGE_KB of short-lived small objects per request (about what Sightline allocates
  // beyond bare Express), to see what the allocation alone costs.
  const count = Math.round((Number(process.env.GARBAGE_KB ?? 15) * 1024) / 40);
  // The last object stays reachable until the next request, so the allocation cannot be optimized away.
  let _lastObject;
  work = (fn) => {
    const objects = new Array(count);
    for (let i = 0; i < count; i++) objects[i] = { a: i, b: null, c: objects, d: i + 1 };
    _lastObject = objects[count - 1];
    return fn();
  };
} else if (variant === 'datagram' || variant === 'floor') {
  // What the protocols alone cost, without an SDK, or with one part done by Sightline (servers/floor.mjs).
  const { floorApp } = await import('./floor.mjs');
  const floor = await floorApp(variant, only?.split('+'));
  before = (app) => app.use(floor.middleware);
  work = floor.work;
} else if (variant === 'spin') {
  const waitMs = Number(process.env.SPIN_US ?? 100) / 1000;
  work = (fn) => {
    const until = performance.now() + waitMs;
    while (performance.now() < until);
    return fn();
  };
} else if (variant === 'xray') {
  const AWSXRay = (await import('aws-xray-sdk-core')).default;
  const xrayExpress = (await import('aws-xray-sdk-express')).default;
  AWSXRay.middleware.disableCentralizedSampling();
  AWSXRay.middleware.setSamplingRules({ version: 2, rules: [], default: { fixed_target: 0, rate: 1 } });
  AWSXRay.setLogger({ error() {}, warn() {}, info() {}, debug() {} });
  work = (fn) => AWSXRay.captureFunc('home-activities-mock-data', () => fn());
  before = (app) => app.use(xrayExpress.openSegment('bench'));
  after = (app) => app.use(xrayExpress.closeSegment());
}

const express = (await import('express')).default;
const app = express();
before(app);
// The benchmark reads the server's own CPU time around the measured window: CPU per request is the
// overhead itself, whatever the load generator (sharing a core with @sightline/local) can push.
app.get('/__bench/cpu', (_req, res) => {
  const { user, system } = process.cpuUsage();
  res.json({ cpuMicros: user + system, requests: served });
});
let served = 0;
app.get('/api/activities/home', (_req, res) => {
  served++;
  const data = work(activities);
  res.json(data);
});
after(app);
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`ready ${server.address().port}\n`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(async () => {
    await stop();
    process.exit(0);
  });
});
