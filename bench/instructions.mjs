// Instructions per request of request-overhead variants, counted by valgrind's callgrind: a number
// that does not move with the load of this shared machine (timings here move by tens of percent from
// minute to minute), to compare two versions of the code. It is not a time: kernel work (socket
// writes, UDP sends) is not counted, and cache misses cost nothing in it, so the time ratios of
// request-overhead.bench.mjs stay the measure of record.
//
//   node bench/instructions.mjs bare sightline [--warmup 8000] [--requests 3000]
//
// The server runs under valgrind with instrumentation off through the warm-up (the JIT compiles the
// hot paths first), then on for the measured requests. About a minute per variant.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocal } from '@sightline/local';
import autocannon from 'autocannon';
import { readyPort, serverEnv, splitVariant } from './servers/env.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    warmup: { type: 'string', default: '8000' },
    requests: { type: 'string', default: '3000' },
  },
});
const variants = positionals.length > 0 ? positionals : ['bare', 'sightline'];
const local = await startLocal();
const counts = {};
for (const variant of variants) counts[variant] = await count(variant);
await local.close();

const base = counts[variants[0]];
for (const variant of variants) {
  const k = counts[variant] / 1000;
  console.log(
    `${variant.padEnd(34)} ${k.toFixed(0).padStart(6)} k instructions/request   ${(counts[variant] / base).toFixed(2)}× ${variants[0]}`,
  );
}

async function count(variant) {
  const { name, overrides } = splitVariant(variant);
  const out = join(tmpdir(), `sightline-instructions-${process.pid}-${name.replace(/\W/g, '_')}`);
  const server = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${out}.%p`,
      process.execPath,
      join(import.meta.dirname, 'servers', 'express-app.mjs'),
      name,
    ],
    { env: { ...serverEnv(local.env), ...overrides }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const port = await readyPort(server, `${variant} (under valgrind: is it installed?)`);
  const url = `http://127.0.0.1:${port}/api/activities/home`;
  const load = (amount) =>
    new Promise((resolve, reject) =>
      autocannon({ url, connections: 8, amount }, (err, r) => (err ? reject(err) : resolve(r))),
    );
  await load(Number(values.warmup));
  const control = (flag) =>
    execFileSync('callgrind_control', [flag, String(server.pid)], { stdio: 'ignore' });
  control('--instr=on');
  const measured = Number(values.requests);
  await load(measured);
  control('--instr=off');
  control('--dump');
  server.removeAllListeners('exit');
  server.kill('SIGKILL');
  await new Promise((resolve) => server.once('exit', resolve));
  let total = 0;
  const prefix = `${out.split('/').at(-1)}.`;
  for (const file of readdirSync(tmpdir()).filter((f) => f.startsWith(prefix))) {
    const path = join(tmpdir(), file);
    total += Number(/^totals: (\d+)/m.exec(readFileSync(path, 'utf8'))?.[1] ?? 0);
    rmSync(path);
  }
  return total / measured;
}
