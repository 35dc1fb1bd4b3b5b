// Request overhead: a small Express app bare, with Sightline (all four backends on, everything
// sampled, sending to @sightline/local), with OpenTelemetry's NodeSDK (http + express, OTLP/proto),
// and with aws-xray-sdk-express (everything sampled). Same run, interleaved rounds; the server is
// pinned to core 0, the load generator and @sightline/local (its own process) to core 1. Prints ratios to bare.
//
//   node bench/request-overhead.bench.mjs [--rounds 3] [--seconds 5] [--connections 32]
//
// Two versions of the code side by side, in one run (a change's effect is smaller than this machine's
// drift between runs): build the other checkout, then
//   --variants bare,sightline,sightline@SIGHTLINE_BENCH_FROM=/path/to/other/checkout
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { serverEnv, splitVariant } from './servers/env.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    // Load before measuring, so the JIT has compiled the hot paths: a server runs for hours.
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    // e.g. --variants bare,sightline,sightline:tracing,sightline:none to see one backend's cost;
    // `variant@NAME=value+NAME=value` runs a variant with those environment settings.
    variants: { type: 'string', default: 'bare,sightline,nodesdk,xray' },
  },
});
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const VARIANTS = values.variants.split(',');
const LABEL = {
  bare: 'bare Express',
  sightline: 'Sightline, all four backends',
  nodesdk: 'OTel NodeSDK (http+express)',
  xray: 'aws-xray-sdk-express (all sampled)',
};
const labelOf = (v) => LABEL[v] ?? v.replace(/^sightline:(.*)$/, 'Sightline, only $1');
const server = join(import.meta.dirname, 'servers', 'express-app.mjs');
const pin = spawnSync('taskset', ['-c', '1', 'true']).status === 0;
if (pin) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

const local = await startLocalProcess();
const env = serverEnv(local.env);

/** @sightline/local in a child process on the load generator's core: one event loop each. */
function startLocalProcess() {
  const script = join(import.meta.dirname, 'servers', 'local.mjs');
  const child = spawn(
    pin ? 'taskset' : process.execPath,
    pin ? ['-c', '1', process.execPath, script] : [script],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      cwd: import.meta.dirname,
    },
  );
  const ask = (message, answer) =>
    new Promise((resolve) => {
      child.once(answer, resolve);
      child.send(message);
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`@sightline/local exited with ${code}`)));
    child.once('message', ({ env }) => {
      child.removeAllListeners('exit');
      resolve({
        env,
        clear: () => ask('clear', 'message'),
        close: () => ask('close', 'exit'),
      });
    });
  });
}

function startServer(variant) {
  const started = process.hrtime.bigint();
  const { name, overrides } = splitVariant(variant);
  const args = pin ? ['-c', '0', process.execPath, server, name] : [server, name];
  const child = spawn(pin ? 'taskset' : process.execPath, args, {
    env: { ...env, ...overrides },
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: import.meta.dirname,
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', async (d) => {
      out += d;
      const port = /ready (\d+)/.exec(out)?.[1];
      if (!port || child.ready) return;
      child.ready = true;
      const url = `http://127.0.0.1:${port}/api/activities/home`;
      const res = await fetch(url);
      await res.arrayBuffer();
      resolve({ child, url, startupMs: Number(process.hrtime.bigint() - started) / 1e6 });
    });
    child.on('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)));
  });
}

async function stopServer(child) {
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function load(url, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = Object.fromEntries(
  VARIANTS.map((v) => [v, { rps: [], p99: [], startup: [], cpu: [], errors: 0 }]),
);

console.log(
  `request overhead: ${ROUNDS} rounds × ${SECONDS} s × ${CONNECTIONS} connections, server pinned: ${pin}`,
);
for (let round = 1; round <= ROUNDS; round++) {
  // Rotate the order each round so no variant always runs first (warm caches, thermal state).
  const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
  for (const variant of order) {
    const { child, url, startupMs } = await startServer(variant);
    await load(url, Number(values.warmup)); // warm-up
    const cpuUrl = url.replace('/api/activities/home', '/__bench/cpu');
    const before = await (await fetch(cpuUrl)).json();
    const r = await load(url, SECONDS);
    const after = await (await fetch(cpuUrl)).json();
    results[variant].cpu.push((after.cpuMicros - before.cpuMicros) / (after.requests - before.requests));
    results[variant].rps.push(r.requests.average);
    results[variant].p99.push(r.latency.p99);
    results[variant].startup.push(startupMs);
    results[variant].errors += r.errors + r.non2xx;
    await stopServer(child);
    await local.clear();
    const cpu = results[variant].cpu.at(-1);
    process.stdout.write(
      `  round ${round} ${variant.padEnd(9)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p99 ${r.latency.p99} ms  server CPU ${cpu.toFixed(0)} µs/request\n`,
    );
  }
}
await local.close();

console.log(
  '\n| variant | req/s | vs bare | p99 ms | vs bare | server CPU µs/req | CPU-bound throughput vs bare | start-up to first response | vs bare | errors |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
// Ratios are paired by round (each variant against the bare run of the same round, minutes apart at
// most) and then the median is taken: this machine's speed drifts by tens of percent over a run, and a
// ratio of two medians from different moments carried that drift into the result.
const pairedMedian = (v, key, ratio) => median(results[v][key].map((x, i) => ratio(x, results.bare[key][i])));
for (const v of VARIANTS) {
  const rps = median(results[v].rps);
  const p99 = median(results[v].p99);
  const startup = median(results[v].startup);
  const cpu = median(results[v].cpu);
  const delta = pairedMedian(v, 'startup', (x, b) => x - b);
  const rpsShare = pairedMedian(v, 'rps', (x, b) => x / b);
  const p99Ratio = pairedMedian(v, 'p99', (x, b) => x / b);
  const cpuShare = pairedMedian(v, 'cpu', (x, b) => b / x);
  console.log(
    `| ${labelOf(v)} | ${rps.toFixed(0)} | ${(rpsShare * 100).toFixed(0)} % | ${p99} | ${p99Ratio.toFixed(2)}× | ${cpu.toFixed(0)} | ${(cpuShare * 100).toFixed(0)} % | ${startup.toFixed(0)} ms | ${delta >= 0 ? '+' : ''}${delta.toFixed(0)} ms | ${results[v].errors} |`,
  );
}
console.log('(each "vs bare" is the median over rounds of the ratio to the same round\'s bare run)');
console.log(`\nnode ${process.version}, ${(await import('node:os')).cpus()[0]?.model ?? 'unknown cpu'}`);
