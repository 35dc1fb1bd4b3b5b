// Where one variant of the request-overhead server spends its CPU, V8's own runtime included: Linux
// `perf` samples the pinned, loaded server (software clock: this VM has no hardware counters) with
// `--perf-basic-prof-only-functions`, and each sample is charged to its innermost JavaScript frame, so
// the inline-cache misses, lookups and shape migrations a function causes in V8's C++ are counted
// with it. Prints, per 1,000 requests: samples by package, and the functions whose samples end in V8's
// property-lookup slow paths (megamorphic loads, stub-cache misses, map migrations).
//
//   node bench/perf-profile.mjs sightline [--seconds 5] [--top 25] [--kernel]
//
// `--kernel` prints the kernel's share instead: samples per 1,000 requests by their innermost kernel
// frames (six at most), and how many of them fall in the wake-up of a socket's reader (the load
// generator, when a response is delivered on loopback). In this virtual machine a sample taken with
// interrupts off lands where they are turned back on (`pvm_irq_enable`), so its caller chain is what
// names the work.
//
// perf's unwinding slows the server by a factor of two or more: compare shares within one run, or runs
// of the same variant, not µs. A JIT address reused by later code keeps its first name in the perf map,
// so an odd name on a hot frame (a module's line 1) is that, not a real hot spot.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { readyPort, serverEnv, splitVariant, startLocalProcess } from './servers/env.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '5' },
    top: { type: 'string', default: '25' },
    kernel: { type: 'boolean', default: false },
  },
});
if (spawnSync('perf', ['--version']).status !== 0) {
  console.error('perf is not installed: this profile needs Linux perf');
  process.exit(1);
}
const variant = positionals[0] ?? 'sightline';
const data = join(mkdtempSync(join(tmpdir(), 'sightline-perf-')), 'perf.data');
const local = await startLocalProcess();
const { name, overrides } = splitVariant(variant);
const server = spawn(
  'taskset',
  [
    '-c',
    '0',
    process.execPath,
    '--perf-basic-prof-only-functions',
    join(import.meta.dirname, 'servers', 'express-app.mjs'),
    name,
  ],
  { env: { ...serverEnv(local.env), ...overrides }, stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = `http://127.0.0.1:${await readyPort(server, variant)}/api/activities/home`;
await autocannon({ url, connections: 32, duration: 5 }); // warm-up: the JIT compiles the hot paths
const recorder = spawn(
  'perf',
  ['record', '-e', 'cpu-clock', '-F', '4999', '-g', '-p', String(server.pid), '-o', data],
  { stdio: 'ignore' },
);
await new Promise((resolve) => setTimeout(resolve, 300));
const result = await autocannon({ url, connections: 32, duration: Number(values.seconds) });
recorder.kill('SIGINT');
await new Promise((resolve) => recorder.once('exit', resolve));
server.kill('SIGKILL');
await local.close();

const requests = result.requests.total;
const script = spawnSync('perf', ['script', '-i', data, '-F', 'ip,sym'], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
}).stdout;
const per1000 = (n) => ((n * 1000) / requests).toFixed(0).padStart(6);
if (values.kernel) {
  printKernel();
  process.exit(0);
}
const SLOW_PATH = /IC|LookupIterator|StubCache|MigrateToMap|DescriptorArray|Map::|Transition|ComputeHandler/;
const byPackage = new Map();
const slowByFunction = new Map();
const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
for (const sample of script.split('\n\n')) {
  const frames = sample
    .split('\n')
    .map((line) => line.trim().replace(/^[0-9a-f]+ /, ''))
    .filter(Boolean);
  if (frames.length === 0) continue;
  const js = frames.find((f) => f.startsWith('JS:'))?.replace(/\+0x[0-9a-f]+.*$/, '');
  add(byPackage, js === undefined ? '(no JS frame: GC, kernel, native)' : packageOf(js));
  if (js !== undefined && SLOW_PATH.test(frames[0])) add(slowByFunction, js.replace(/^JS:[*^~]?/, ''));
}
console.log(`${variant}: ${requests} requests while sampled (perf slows the server)\n`);
console.log('samples per 1,000 requests, by package of the innermost JavaScript frame');
for (const [key, n] of [...byPackage].sort((a, b) => b[1] - a[1])) console.log(`${per1000(n)}  ${key}`);
console.log('\nof them in V8 lookup slow paths, by function');
for (const [key, n] of [...slowByFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${per1000(n)}  ${key}`);
}

function packageOf(frame) {
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame);
  if (pnpm) return pnpm[1];
  const ours = /packages\/([^/]+)\//.exec(frame);
  if (ours) return `@sightline/${ours[1]}`;
  if (frame.includes('node:')) return 'node:core';
  if (frame.includes('bench/servers')) return 'the app';
  return 'other';
}

/** Kernel samples per 1,000 requests, by their innermost kernel frames; the reader wake-ups apart. */
function printKernel() {
  const KERNEL_ADDRESS = /^f{8}/;
  const WAKE_READER = /sock_def_readable/;
  const chains = new Map();
  let samples = 0;
  let kernel = 0;
  let wakeups = 0;
  for (const sample of script.split('\n\n')) {
    const frames = sample
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [ip, ...sym] = line.split(' ');
        return { kernel: KERNEL_ADDRESS.test(ip), name: sym.join(' ').replace(/\+0x[0-9a-f]+$/, '') };
      });
    if (frames.length === 0) continue;
    samples++;
    if (!frames[0].kernel) continue;
    kernel++;
    const inner = [];
    for (const frame of frames) {
      if (!frame.kernel || inner.length === 6) break;
      inner.push(frame.name);
    }
    if (inner.some((name) => WAKE_READER.test(name))) wakeups++;
    const chain = inner.join(' < ');
    chains.set(chain, (chains.get(chain) ?? 0) + 1);
  }
  console.log(`${variant}: ${requests} requests while sampled (perf slows the server)\n`);
  console.log(
    `samples per 1,000 requests: ${per1000(samples).trim()}, in the kernel ${per1000(kernel).trim()},`,
  );
  console.log(`of them waking a socket's reader (sock_def_readable) ${per1000(wakeups).trim()}\n`);
  console.log('innermost kernel frames');
  for (const [chain, n] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${per1000(n)}  ${chain}`);
  }
}
