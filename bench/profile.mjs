// Where one variant of the request-overhead server spends its CPU, pinned and loaded as in the
// benchmark: after a warm-up (the JIT compiles the hot paths first), it records one of
//   --mode cpu   (default) self time by package and the hottest functions, in µs per request;
//   --mode heap  bytes allocated per request, by package and function (collected objects included);
//   --mode survivors  bytes per request that outlived a young-generation collection (promoted, or
//                live at the end), by package and function: what the scavenger copies;
//   --mode gc    scavenges and mark-compacts, and their main-thread time per request;
// and always the server's CPU time per request by thread (main thread vs V8's and libuv's workers), and
// its minor page faults per request.
//
//   node bench/profile.mjs sightline [--mode cpu|heap|survivors|gc] [--warmup 5] [--seconds 6] [--top 40]
//   node bench/profile.mjs sightline:tracing+xray --node-args="--max-semi-space-size=32"
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { readyPort, serverEnv, splitVariant, startLocalProcess } from './servers/env.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mode: { type: 'string', default: 'cpu' },
    warmup: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '6' },
    top: { type: 'string', default: '40' },
    connections: { type: 'string', default: '32' },
    'node-args': { type: 'string', default: '' },
  },
});
const variant = positionals[0] ?? 'sightline';
const mode = values.mode;
const profileFile = join(mkdtempSync(join(tmpdir(), 'sightline-profile-')), `${mode}.json`);

// Pinned as in the benchmark: the server alone on core 0, the load and @sightline/local on core 1.
const local = await startLocalProcess();
const server = spawn(
  'taskset',
  [
    '-c',
    '0',
    process.execPath,
    ...values['node-args'].split(' ').filter(Boolean),
    ...(mode === 'gc' ? ['--trace-gc'] : ['--import', join(import.meta.dirname, 'servers', 'profiler.mjs')]),
    join(import.meta.dirname, 'servers', 'express-app.mjs'),
    splitVariant(variant).name,
  ],
  {
    env: {
      ...serverEnv(local.env),
      ...splitVariant(variant).overrides,
      SIGHTLINE_PROFILE_OUT: profileFile,
      SIGHTLINE_PROFILE_KIND: mode,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: import.meta.dirname,
  },
);
// Everything the server prints: --trace-gc writes its collections here.
let out = '';
server.stdout.on('data', (d) => {
  out += d;
});
const port = await readyPort(server, `the ${variant} server`);
const url = `http://127.0.0.1:${port}/api/activities/home`;
const load = (seconds) =>
  new Promise((resolve, reject) =>
    autocannon({ url, connections: Number(values.connections), duration: seconds }, (err, r) =>
      err ? reject(err) : resolve(r),
    ),
  );

await load(Number(values.warmup));
const outAtStart = out.length;
// Starts the profiler preloaded by the cpu and heap modes (without it, SIGUSR2 would end the server).
if (mode !== 'gc') server.kill('SIGUSR2');
const threadsBefore = threadTimes(server.pid);
const faultsBefore = minorFaults(server.pid);
const result = await load(Number(values.seconds));
const threadsAfter = threadTimes(server.pid);
const faultsAfter = minorFaults(server.pid);
server.removeAllListeners('exit');
const exited = new Promise((r) => server.once('exit', r));
server.kill('SIGTERM');
await exited;
await local.close();

const requests = result.requests.total;
console.log(`${variant}: ${requests} requests measured, ${result.requests.average.toFixed(0)} req/s`);
printThreads();
if (mode === 'gc') printCollections();
else if (mode === 'heap' || mode === 'survivors')
  printAllocations(JSON.parse(readFileSync(profileFile, 'utf8')));
else printCpu(JSON.parse(readFileSync(profileFile, 'utf8')));

/** CPU time (µs) of each thread of `pid`, by thread id: user and system (kernel) time. */
function threadTimes(pid) {
  const times = new Map();
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const { name, fields } = procStat(`/proc/${pid}/task/${task}/stat`);
      // utime and stime, in USER_HZ (100 per second).
      times.set(task, { name, user: Number(fields[11]) * 10_000, system: Number(fields[12]) * 10_000 });
    }
  } catch {
    // not Linux: no per-thread times
  }
  return times;
}

/**
 * A `/proc/…/stat` line: the command name (between the parentheses, which may hold spaces) and the
 * fields after it, from the state on (`fields[7]` is minflt, `fields[11]` and `[12]` utime and stime).
 */
function procStat(path) {
  const stat = readFileSync(path, 'utf8');
  const close = stat.lastIndexOf(')');
  return { name: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
}

/**
 * Minor page faults of `pid` so far (all its threads): each is a first touch of a fresh page, and in
 * this virtual machine one costs about 14 µs (a fresh 1.5 MB buffer took 5 ms to fill, a reused one
 * 55 µs), so a server allocating large buffers afresh pays for it here.
 */
function minorFaults(pid) {
  try {
    return Number(procStat(`/proc/${pid}/stat`).fields[7]);
  } catch {
    return Number.NaN; // not Linux
  }
}

function printThreads() {
  const spent = { main: { user: 0, system: 0 }, others: { user: 0, system: 0 } };
  // The other threads by name (V8's background workers, libuv's pool…), to see which of them work.
  const byName = new Map();
  for (const [task, after] of threadsAfter) {
    const before = threadsBefore.get(task) ?? { user: 0, system: 0 };
    const into = task === String(server.pid) ? spent.main : spent.others;
    const user = after.user - before.user;
    const system = after.system - before.system;
    into.user += user;
    into.system += system;
    if (into === spent.others) byName.set(after.name, (byName.get(after.name) ?? 0) + user + system);
  }
  const perRequest = (micros) => (micros / requests).toFixed(0);
  const total = (t) => t.user + t.system;
  const others = [...byName]
    .filter(([, micros]) => micros > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, micros]) => `${name} ${perRequest(micros)}`)
    .join(', ');
  console.log(
    `server CPU: ${perRequest(total(spent.main) + total(spent.others))} µs/req (main thread ${perRequest(total(spent.main))}, other threads ${perRequest(total(spent.others))}${others ? ` [${others}]` : ''}; system time ${perRequest(spent.main.system + spent.others.system)} of it)`,
  );
  const faults = faultsAfter - faultsBefore;
  if (Number.isFinite(faults))
    console.log(`minor page faults: ${(faults / requests).toFixed(3)} per request`);
}

function printCollections() {
  // --trace-gc: `[pid:addr]  1234 ms: Scavenge 20.1 (35.2) -> 12.3 (36.0) MB, 1.23 / 0.00 ms ...`
  const collections = new Map();
  for (const line of out.slice(outAtStart).split('\n')) {
    const match = /ms: ([A-Za-z-]+)[^,]*, ([\d.]+) \/ ([\d.]+) ms/.exec(line);
    if (!match) continue;
    const entry = collections.get(match[1]) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += Number(match[2]);
    collections.set(match[1], entry);
  }
  for (const [kind, { count, ms }] of collections) {
    console.log(
      `  ${kind.padEnd(14)} ${String(count).padStart(5)} ×   main thread ${((ms * 1000) / requests).toFixed(1)} µs/req`,
    );
  }
}

function packageOf(url) {
  if (!url) return '(native)';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1];
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const ours = /packages\/([^/]+)\//.exec(url);
  if (ours) return `@sightline/${ours[1]}`;
  if (url.startsWith('node:')) return 'node:core';
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
}

function frameKey(f) {
  return `${f.functionName || '(anonymous)'}  ${packageOf(f.url)}:${f.lineNumber + 1}`;
}

function printTable(title, map, top, unit, scale) {
  const total = [...map.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${title}`);
  for (const [key, amount] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${((amount / total) * 100).toFixed(1).padStart(5)} %  ${(amount / scale / requests).toFixed(1).padStart(7)} ${unit}/req  ${key}`,
    );
  }
}

function printCpu(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byPackage = new Map();
  const byFunction = new Map();
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const { callFrame } = byId.get(id);
    const pkg = callFrame.url ? packageOf(callFrame.url) : callFrame.functionName || '(native)';
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
    byFunction.set(frameKey(callFrame), (byFunction.get(frameKey(callFrame)) ?? 0) + micros);
  });
  printTable('main-thread self time by package', byPackage, 25, 'µs', 1);
  printTable('hottest functions (self time)', byFunction, Number(values.top), 'µs', 1);
}

function printAllocations(profile) {
  const byPackage = new Map();
  const byFunction = new Map();
  // Node's own code allocates on behalf of its caller: charge it to the nearest frame outside node:.
  const walk = (node, owner) => {
    const pkg = packageOf(node.callFrame.url);
    const here = pkg === 'node:core' || pkg === '(native)' ? owner : pkg;
    if (node.selfSize > 0) {
      byPackage.set(here ?? pkg, (byPackage.get(here ?? pkg) ?? 0) + node.selfSize);
      const key = frameKey(node.callFrame);
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children ?? []) walk(child, here);
  };
  walk(profile.head, undefined);
  printTable('bytes allocated by package (node: internals charged to their caller)', byPackage, 25, 'B', 1);
  printTable('bytes allocated by function', byFunction, Number(values.top), 'B', 1);
}
