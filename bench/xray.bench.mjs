// X-Ray: per-request cost of Sightline's segment handling (AsyncLocalStorage context, our emitter)
// against aws-xray-sdk-core's automatic mode through aws-xray-sdk-express's openSegment middleware
// (cls-hooked), sampled and unsampled. Both send to the same local UDP sink on 127.0.0.1.
// Each variant runs in its own child process: cls-hooked installs process-wide async hooks that would
// otherwise tax whatever runs after it. Run: `node bench/xray.bench.mjs` (builds must exist: pnpm -r run build).
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { EventEmitter } from 'node:events';

const REQUESTS = Number(process.env.XRAY_BENCH_REQUESTS ?? 10_000);
const CONCURRENCY = 50;
const ROUNDS = 2;

const SAMPLE_ALL = { version: 2, rules: [], default: { fixed_target: 0, rate: 1 } };
const SAMPLE_NONE = { version: 2, rules: [], default: { fixed_target: 0, rate: 0 } };

/** One request's worth of handler work: two awaits inside one subsegment, like a small route. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

function fakeRequest(i) {
  const req = new EventEmitter();
  req.method = 'GET';
  req.url = `/api/activities/home?i=${i}`;
  req.headers = { host: '127.0.0.1:4567', 'user-agent': 'bench' };
  req.connection = { remoteAddress: '127.0.0.1', encrypted: false };
  req.socket = req.connection;
  return req;
}

function fakeResponse(req) {
  const res = new EventEmitter();
  res.req = req;
  res.statusCode = 200;
  res.headers = {};
  res.header = (name, value) => {
    res.headers[name] = value;
  };
  return res;
}

async function runOurs(sampled, address) {
  const { createXRay, resolveXRayConfig } = await import('@sightline/xray');
  const { config } = resolveXRayConfig(
    {
      serviceName: 'backend-flask',
      daemonAddress: address,
      samplingRules: sampled ? SAMPLE_ALL : SAMPLE_NONE,
    },
    {},
  );
  const xray = createXRay(config);
  const one = async (i) => {
    const req = fakeRequest(i);
    const seg = xray.openRequestSegment({
      method: req.method,
      url: req.url,
      headers: req.headers,
      remoteAddress: '127.0.0.1',
    });
    await seg.run(() =>
      xray.subsegment('activities_home', async () => {
        await tick();
        xray.addAnnotation('i', i);
        await tick();
      }),
    );
    seg.close({ statusCode: 200 });
  };
  const result = await measure(one);
  await xray.shutdown(5000);
  return { ...result, sent: xray.stats().sent };
}

async function runTheirs(sampled, address) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const AWSXRay = require('aws-xray-sdk-core');
  const xrayExpress = require('aws-xray-sdk-express');
  AWSXRay.setDaemonAddress(address);
  AWSXRay.setContextMissingStrategy('IGNORE_ERROR');
  AWSXRay.middleware.disableCentralizedSampling();
  AWSXRay.middleware.setSamplingRules(sampled ? SAMPLE_ALL : SAMPLE_NONE);
  const open = xrayExpress.openSegment('backend-flask');
  const one = (i) =>
    new Promise((resolve, reject) => {
      const req = fakeRequest(i);
      const res = fakeResponse(req);
      open(req, res, () => {
        AWSXRay.captureAsyncFunc('activities_home', async (sub) => {
          try {
            await tick();
            sub.addAnnotation('i', i);
            await tick();
            sub.close();
            res.emit('finish');
            resolve();
          } catch (err) {
            reject(err);
          }
        });
      });
    });
  return measure(one);
}

async function measure(one) {
  // Warm-up, then the timed run: CONCURRENCY requests in flight at a time.
  for (let i = 0; i < 2000; i += CONCURRENCY)
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => one(i + k)));
  globalThis.gc?.();
  const start = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i += CONCURRENCY) {
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => one(i + k)));
  }
  const ns = Number(process.hrtime.bigint() - start);
  return { usPerRequest: ns / REQUESTS / 1000 };
}

/** Runs one variant in a child process and returns its JSON line. */
function child(variant, address) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', import.meta.filename, '--child', variant, address], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: import.meta.dirname,
    });
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
    });
    proc.on('error', reject);
    proc.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()))
        : reject(new Error(`${variant} exited ${code}`)),
    );
  });
}

async function main() {
  const sink = createSocket('udp4');
  let datagrams = 0;
  sink.on('message', () => {
    datagrams++;
  });
  await new Promise((resolve) => sink.bind(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${sink.address().port}`;
  // A baseline: the same handler with no X-Ray at all, to show what the tracing itself adds.
  const variants = ['none', 'ours-sampled', 'theirs-sampled', 'ours-unsampled', 'theirs-unsampled'];
  const best = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of variants) {
      const r = await child(v, address);
      best[v] = Math.min(best[v] ?? Number.POSITIVE_INFINITY, r.usPerRequest);
    }
  }
  sink.close();
  const cost = (v) => Math.max(0.01, best[v] - best.none);
  console.log(
    `X-Ray per-request cost, ${REQUESTS} requests x ${ROUNDS} rounds (best), ${CONCURRENCY} concurrent, UDP sink ${address}`,
  );
  console.log(`  handler alone (no X-Ray):        ${best.none.toFixed(2)} µs/request`);
  for (const mode of ['sampled', 'unsampled']) {
    const ours = best[`ours-${mode}`];
    const theirs = best[`theirs-${mode}`];
    console.log(
      `  ${mode.padEnd(9)} sightline: ${ours.toFixed(2)} µs  aws-xray-sdk (cls-hooked): ${theirs.toFixed(2)} µs`,
    );
    console.log(
      `  ${mode.padEnd(9)} added by X-Ray: sightline ${cost(`ours-${mode}`).toFixed(2)} µs vs sdk ${cost(`theirs-${mode}`).toFixed(2)} µs  ratio ${(cost(`ours-${mode}`) / cost(`theirs-${mode}`)).toFixed(2)}x (target <= 0.5x)`,
    );
  }
  console.log(`  datagrams received by the sink: ${datagrams}`);
}

async function runChild(variant, address) {
  let result;
  if (variant === 'none') {
    result = await measure(async (i) => {
      fakeRequest(i);
      await tick();
      await tick();
    });
  } else if (variant.startsWith('ours')) result = await runOurs(variant.endsWith('-sampled'), address);
  else result = await runTheirs(variant.endsWith('-sampled'), address);
  console.log(JSON.stringify(result));
}

if (process.argv[2] === '--child') await runChild(process.argv[3], process.argv[4]);
else await main();
