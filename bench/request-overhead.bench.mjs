// Request overhead: a small Express app bare, with Sightline (all four backends on, everything
// sampled, sending to @sightline/local), with OpenTelemetry's NodeSDK (http + express, OTLP/proto),
// and with aws-xray-sdk-express (everything sampled). Same run: every server warm at once and the load
// moved between them in short windows; the servers are pinned to core 0, the load generator and
// @sightline/local (its own process) to core 1. Start-up to first response is measured apart (each
// variant started and stopped a few times). Prints ratios to bare.
//
//   node bench/request-overhead.bench.mjs [--rounds 8] [--seconds 3] [--warmup 5] [--startups 3] [--connections 32]
//     [--against <variant>]   (also each variant's window-by-window ratio to that one)
//
// Two versions of the code side by side, in one run (a change's effect is smaller than this machine's
// drift between runs): build the other checkout, then
//   --variants bare,sightline,sightline@SIGHTLINE_BENCH_FROM=/path/to/other/checkout
//
// What the telemetry itself costs, with no SDK (servers/floor.mjs): `datagram` (one X-Ray datagram per
// request) and `floor` (the four protocols' own work per request); and what one of Sightline's packages
// costs over the plainest code doing its protocol's work, `floor:<part>`:
//   --variants bare,datagram,floor,sightline
//   --variants bare,floor,floor:cwlogs,floor:xray --against floor
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { canPin, readyPort, serverEnv, splitVariant, startLocalProcess } from './servers/env.mjs';

const { values } = parseArgs({
  options: {
    // Measured windows per variant, and their length.
    rounds: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '3' },
    // Load before measuring, so the JIT has compiled the hot paths: a server runs for hours.
    warmup: { type: 'string', default: '5' },
    // Start-ups to first response measured per variant (a server started and stopped each time).
    startups: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    // e.g. --variants bare,sightline,sightline:tracing,sightline:none to see one backend's cost;
    // `variant@NAME=value+NAME=value` runs a variant with those environment settings.
    variants: { type: 'string', default: 'bare,sightline,nodesdk,xray' },
    // A second comparison, window by window against this variant (two versions of the code: their
    // windows are seconds apart, where each against bare carries bare's own spread too).
    against: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const WARMUP = Number(values.warmup);
const STARTUPS = Number(values.startups);
/** Longer than every variant's export delay (OTLP batches: 5 s by default), so the last batches count. */
const TAIL_MS = 6000;
const VARIANTS = values.variants.split(',');
// A variant that sends its telemetry somewhere else than the benchmark's local gets a receiver the quiet
// wait between windows does not watch: its leftover work falls into the next window, another variant's,
// and flatters this one (1.05–1.06× for receivers that measured 1.01× in local's process, session 11).
const RECEIVER_SETTINGS = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'AWS_XRAY_DAEMON_ADDRESS',
  'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
  'ROLLBAR_ENDPOINT',
];
for (const variant of VARIANTS) {
  const moved = Object.keys(splitVariant(variant).overrides).filter((k) => RECEIVER_SETTINGS.includes(k));
  if (moved.length > 0) {
    console.log(
      `note: ${variant.split('@')[0]} sends to a receiver of its own (${moved.join(', ')}), which the wait between windows does not watch: compare receivers inside the benchmark's local process instead (docs/performance.md, session 11)`,
    );
  }
}
const LABEL = {
  bare: 'bare Express',
  sightline: 'Sightline, all four backends',
  nodesdk: 'OTel NodeSDK (http+express)',
  xray: 'aws-xray-sdk-express (all sampled)',
  datagram: 'bare + one X-Ray datagram per request',
  floor: 'bare + the four protocols, no SDK',
};
const labelOf = (v) => LABEL[v] ?? v.replace(/^sightline:(.*)$/, 'Sightline, only $1');
const server = join(import.meta.dirname, 'servers', 'express-app.mjs');
const pin = canPin;

const local = await startLocalProcess();
const env = serverEnv(local.env);

/** CPU time (ms) a process has used so far, from /proc; undefined where there is none. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * Waits until the server just measured and @sightline/local have gone quiet (under 5 % of a core over
 * 300 ms; 8 s at most): local drains the telemetry a window left queued (X-Ray datagrams wait in its
 * socket buffer while the load generator, on the same core, runs flat out), and until it has, the next
 * window's load generator shares its core and the next server, bare Express above all, looks slower.
 */
async function settle(pids) {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const deadline = Date.now() + 8000;
  let before = pids.map(cpuMsOf);
  if (before.includes(undefined)) return sleep(1000);
  while (Date.now() < deadline) {
    await sleep(300);
    const now = pids.map(cpuMsOf);
    const quiet = now.every((ms, i) => ms - before[i] < 15);
    before = now;
    if (quiet) return;
  }
}

async function startServer(variant) {
  const started = process.hrtime.bigint();
  const { name, overrides } = splitVariant(variant);
  const args = pin ? ['-c', '0', process.execPath, server, name] : [server, name];
  const child = spawn(pin ? 'taskset' : process.execPath, args, {
    env: { ...env, ...overrides },
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: import.meta.dirname,
  });
  const url = `http://127.0.0.1:${await readyPort(child, variant)}/api/activities/home`;
  await (await fetch(url)).arrayBuffer();
  return { child, url, startupMs: Number(process.hrtime.bigint() - started) / 1e6 };
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
/** The `q` quantile of `xs`, interpolated between the two nearest values. */
const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
};
/**
 * Two-sided sign test over paired windows: the probability of `ahead` of `n` windows (or a split at
 * least as uneven either way) if neither variant were faster. 8 of 8 gives 0.008, 6 of 8 0.289.
 */
const signTestP = (ahead, n) => {
  const choose = (k) => {
    let c = 1;
    for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
    return c;
  };
  let tail = 0;
  for (let k = Math.max(ahead, n - ahead); k <= n; k++) tail += choose(k);
  return Math.min(1, (2 * tail) / 2 ** n);
};
const results = Object.fromEntries(
  VARIANTS.map((v) => [v, { rps: [], p99: [], startup: [], cpu: [], errors: 0 }]),
);
/** Rotates the order each round so no variant always follows the same one (caches, a tail of work). */
const orderOf = (round) => VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);

console.log(
  `request overhead: ${ROUNDS} windows × ${SECONDS} s × ${CONNECTIONS} connections per variant, ${STARTUPS} start-ups each, server pinned: ${pin}`,
);

// Start-up to first response: each variant started and stopped STARTUPS times, interleaved.
for (let round = 0; round < STARTUPS; round++) {
  for (const variant of orderOf(round)) {
    const { child, startupMs } = await startServer(variant);
    results[variant].startup.push(startupMs);
    await stopServer(child);
  }
}
await local.clear();

// Throughput: every variant's server runs for the whole measurement, each warmed up once, and the load
// moves between them in short windows. This machine's speed drifts by tens of percent within minutes;
// windows seconds apart pair far better than whole server lifetimes a minute or more apart did.
const servers = {};
for (const variant of VARIANTS) {
  const { child, url } = await startServer(variant);
  const cpuUrl = url.replace('/api/activities/home', '/__bench/cpu');
  servers[variant] = { child, url, counters: () => fetch(cpuUrl).then((r) => r.json()) };
  await load(url, WARMUP);
}
// The warm-ups' own tails (batches still waiting to leave) settle before anything is counted.
await new Promise((resolve) => setTimeout(resolve, TAIL_MS));
/** Each variant's counters at the start of its last window: CPU is charged up to its next window. */
const last = {};
for (const variant of VARIANTS) last[variant] = await servers[variant].counters();

// A window's CPU is everything the server used from the window's start to its next window's start
// (or the final read): the exports and flushes that follow a window's load are part of its cost.
const chargeCpu = (variant, now) => {
  const before = last[variant];
  results[variant].cpu.push((now.cpuMicros - before.cpuMicros) / (now.requests - before.requests));
  last[variant] = now;
};
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of orderOf(round)) {
    if (round > 0) chargeCpu(variant, await servers[variant].counters());
    const r = await load(servers[variant].url, SECONDS);
    results[variant].rps.push(r.requests.average);
    results[variant].p99.push(r.latency.p99);
    results[variant].errors += r.errors + r.non2xx;
    process.stdout.write(
      `  window ${round + 1} ${variant.padEnd(9)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p99 ${r.latency.p99} ms\n`,
    );
    await local.clear();
    await settle([servers[variant].child.pid, local.pid]);
  }
}
// The last windows' tails: batches wait up to the exporters' schedule delays before they leave.
await new Promise((resolve) => setTimeout(resolve, TAIL_MS));
for (const variant of VARIANTS) chargeCpu(variant, await servers[variant].counters());
for (const { child } of Object.values(servers)) await stopServer(child);
await local.close();

console.log(
  '\n| variant | req/s | vs bare | p99 ms | vs bare | server CPU µs/req | CPU-bound throughput vs bare | start-up to first response | vs bare | errors |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
// Ratios are paired by round (each variant against bare's window of the same round, seconds apart) and
// then the median is taken: this machine's speed drifts by tens of percent over a run, and a ratio of
// two medians from different moments carried that drift into the result.
/** Each window's (or start-up's) `ratio` to `ref`'s of the same round. */
const pairedRatios = (v, ref, key, ratio) => results[v][key].map((x, i) => ratio(x, results[ref][key][i]));
const pairedMedian = (v, key, ratio) => median(pairedRatios(v, 'bare', key, ratio));
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
console.log(
  '(each "vs bare" is the median over windows of the ratio to bare\'s window of the same round; start-up pairs likewise)',
);
const against = values.against;
if (against !== undefined && results[against] !== undefined) {
  // Same pairing as above, against another variant: how many of its windows each one beat, too.
  const paired = (v, key) => pairedRatios(v, against, key, (x, ref) => x / ref);
  console.log(
    `\n| variant | req/s vs ${against} | middle half of windows | windows ahead | sign test p | server CPU vs ${against} |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const v of VARIANTS) {
    if (v === against) continue;
    const rps = paired(v, 'rps');
    const ahead = rps.filter((r) => r > 1).length;
    const spread = `${quantile(rps, 0.25).toFixed(3)}–${quantile(rps, 0.75).toFixed(3)}×`;
    console.log(
      `| ${labelOf(v)} | ${median(rps).toFixed(3)}× | ${spread} | ${ahead} of ${rps.length} | ${signTestP(ahead, rps.length).toFixed(3)} | ${median(paired(v, 'cpu')).toFixed(3)}× |`,
    );
  }
  console.log(
    "(sign test p: the chance of windows split at least this unevenly were the two equally fast; under about 0.05, the difference is more than the run's spread)",
  );
}
console.log(`\nnode ${process.version}, ${(await import('node:os')).cpus()[0]?.model ?? 'unknown cpu'}`);
