import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

// What the request-overhead servers share (the benchmark's, the profiler's, the instruction counter's):
// the environment they run with, all four backends pointed at @sightline/local and nothing inherited
// from the shell but PATH; variants with settings; and the port a server says it is ready on.
export function serverEnv(localEnv) {
  return {
    PATH: process.env.PATH,
    ...localEnv,
    OTEL_SERVICE_NAME: 'bench',
    SIGHTLINE_CWLOGS_GROUP: 'bench',
    ROLLBAR_ACCESS_TOKEN: 'fake-bench-token-0000000000000',
    AWS_XRAY_URL: '*',
    SIGHTLINE_HANDLE_SIGNALS: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * `sightline@OTEL_BSP_MAX_EXPORT_BATCH_SIZE=128+SIGHTLINE_CWLOGS_SEND_INTERVAL_MS=500`: a variant run
 * with those environment settings on top of `serverEnv`, to compare settings side by side.
 */
export function splitVariant(variant) {
  const [name, settings] = variant.split('@');
  const overrides = Object.fromEntries(
    (settings ?? '')
      .split('+')
      .filter(Boolean)
      // Split at the first '=' only: a value may hold one (NODE_OPTIONS=--max-semi-space-size=64).
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  return { name, overrides };
}

/** The port a request-overhead server prints (`ready <port>`); rejects if it exits first. */
export function readyPort(server, what) {
  return new Promise((resolve, reject) => {
    let out = '';
    server.once('exit', (code) => reject(new Error(`${what} exited with ${code} before it was ready`)));
    server.stdout.on('data', (d) => {
      out += d;
      const match = /ready (\d+)/.exec(out);
      if (match) resolve(match[1]);
    });
  });
}

/** Whether `taskset` works here: the benchmarks pin the server to core 0, the rest to core 1. */
export const canPin = spawnSync('taskset', ['-c', '1', 'true']).status === 0;

/**
 * `@sightline/local` in its own process, one event loop beside the load generator's, both (this process
 * too) pinned to core 1 where `taskset` works; the server under test gets core 0. Resolves with the env
 * it sends, its pid, and `clear()` / `close()` over IPC.
 */
export function startLocalProcess() {
  const script = join(import.meta.dirname, 'local.mjs');
  if (canPin) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const child = spawn(
    canPin ? 'taskset' : process.execPath,
    canPin ? ['-c', '1', process.execPath, script] : [script],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: join(import.meta.dirname, '..') },
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
        pid: child.pid,
        clear: () => ask('clear', 'message'),
        close: () => ask('close', 'exit'),
      });
    });
  });
}
