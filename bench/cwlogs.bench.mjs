// CloudWatch Logs shippers side by side, against @sightline/local (in this process), same workloads, same run:
//   @sightline/cwlogs  vs  winston-cloudwatch 6.3.0  vs  @serdnam/pino-cloudwatch-transport 1.0.4
// Each contender runs each workload in its own child process (clean RSS, real exit), pointed at local
// through the SDK's own chain (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS). Usage:
//   node bench/cwlogs.bench.mjs            full sizes (~2 min)
//   node bench/cwlogs.bench.mjs --quick    sizes / 10
//   node bench/cwlogs.bench.mjs --only exit,small --repeat 7 [--contenders sightline,pino-cloudwatch]
//     selected workloads (and contenders), each run N times with the contenders interleaved; prints
//     per run a table, then the median and spread of caller ns/call and the same-run ratios to sightline
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ALL_CONTENDERS = ['sightline', 'winston-cloudwatch', 'pino-cloudwatch'];
const MAX_REQUEST_BYTES = 1_048_576;
const MAX_REQUEST_EVENTS = 10_000;

const scale = process.argv.includes('--quick') || process.env.CWLOGS_BENCH_QUICK === '1' ? 0.1 : 1;
const WORKLOADS = {
  small: {
    n: Math.round(100_000 * scale),
    bytes: 100,
    chunk: 1_000,
    end: 'flush',
    what: '100,000 small events (~100 B)',
  },
  large: {
    n: Math.round(2_000 * scale),
    bytes: 100_000,
    chunk: 20,
    end: 'flush',
    what: '2,000 events of 100 KB',
  },
  exit: {
    n: Math.round(20_000 * scale),
    bytes: 100,
    chunk: 1_000,
    end: 'exit',
    what: '20,000 events, then the script just ends (no flush)',
  },
  ids: {
    n: Math.round(100_000 * scale),
    bytes: 100,
    chunk: 1_000,
    end: 'flush',
    ids: true,
    what: '100,000 small events, each with a request id of its own among its fields',
  },
  outage: {
    n: Math.round(1_080_000 * scale),
    bytes: 100,
    chunk: 5_000,
    end: 'outage',
    what: '1,080,000 events (an hour at 300/s, time-compressed) while the endpoint refuses connections',
  },
};

/** The value after `--name`, split on commas; undefined when the flag is absent. */
function listArg(name) {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : (process.argv[i + 1] ?? '').split(',').filter(Boolean);
}
const ONLY = listArg('--only');
const CONTENDERS = listArg('--contenders') ?? ALL_CONTENDERS;
const REPEAT = Math.max(1, Number(listArg('--repeat')?.[0] ?? 1) || 1);

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], process.argv[5]);
else await parent();

// ---------------------------------------------------------------- child: one contender, one workload
async function child(contender, workloadName, group) {
  const w = WORKLOADS[workloadName];
  const stream = 'bench';
  const pad = 'x'.repeat(Math.max(0, w.bytes - 60));
  const { log, finish, stats } = await setUp(contender, group, stream, w);
  // One-off values, as an application logs its own request ids: made before the clock starts.
  const ids = w.ids ? Array.from({ length: w.n }, () => randomUUID()) : [];
  const t0 = Date.now();
  let callerNs = 0n;
  for (let i = 0; i < w.n; i += w.chunk) {
    const start = process.hrtime.bigint();
    const end = Math.min(w.n, i + w.chunk);
    for (let j = i; j < end; j++) log(j, pad, ids[j]);
    callerNs += process.hrtime.bigint() - start;
    // A server between requests: let I/O run.
    await new Promise((r) => setImmediate(r));
  }
  const report = (extra) =>
    process.stdout.write(
      `${JSON.stringify({ t0, callerNsPerCall: Number(callerNs) / w.n, maxRssKb: process.resourceUsage().maxRSS, ...extra })}\n`,
    );
  if (w.end === 'exit') {
    // "Exit right after logging": nothing is awaited; whatever the library does on the way out counts.
    process.on('exit', () => report({}));
    return;
  }
  if (w.end === 'outage') {
    report(stats ? { stats: stats() } : {});
    process.exit(0);
  }
  await finish();
  report(stats ? { stats: stats() } : {});
  process.exit(0);
}

async function setUp(contender, group, stream, w) {
  if (contender === 'sightline') {
    const { createCloudWatchLogs, resolveCloudWatchLogsConfig } = await import('@sightline/cwlogs');
    const { config } = resolveCloudWatchLogsConfig(
      {
        logGroupName: group,
        logStreamName: stream,
        // The outage shows the memory bound (16 MiB). Elsewhere the other contenders' queues are
        // unbounded: give ours room for the whole burst (200 MB in "large", logged faster than a
        // loaded machine sends it) so that "lost" compares delivery, not the overflow policy.
        maxQueueBytes: w.end === 'outage' ? 16 * 1024 * 1024 : 256 * 1024 * 1024,
      },
      process.env,
    );
    const backend = createCloudWatchLogs(config);
    const logger = backend.createLogger({ console: false });
    return {
      log: (i, pad, id) =>
        logger.info(pad.length > 1000 ? pad : 'request handled', {
          i,
          request_id: id,
          path: '/api/activities/home',
          status: 200,
          pad: pad.length > 1000 ? undefined : pad,
        }),
      finish: () => backend.shutdown(60_000),
      stats: () => backend.stats(),
    };
  }
  if (contender === 'winston-cloudwatch') {
    const { default: winston } = await import('winston');
    const { default: WinstonCloudWatch } = await import('winston-cloudwatch');
    const transport = new WinstonCloudWatch({
      logGroupName: group,
      logStreamName: stream,
      jsonMessage: true,
      awsOptions: { region: process.env.AWS_REGION },
      errorHandler: () => undefined,
    });
    const logger = winston.createLogger({ transports: [transport] });
    return {
      log: (i, pad, id) =>
        logger.info(pad.length > 1000 ? pad : 'request handled', {
          i,
          request_id: id,
          path: '/api/activities/home',
          status: 200,
          pad: pad.length > 1000 ? undefined : pad,
        }),
      finish: () => new Promise((resolve) => transport.kthxbye(() => resolve())),
    };
  }
  const { default: pino } = await import('pino');
  const transport = pino.transport({
    target: '@serdnam/pino-cloudwatch-transport',
    options: {
      logGroupName: group,
      logStreamName: stream,
      awsRegion: process.env.AWS_REGION,
      awsAccessKeyId: process.env.AWS_ACCESS_KEY_ID,
      awsSecretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
      interval: 1_000,
    },
  });
  const logger = pino(transport);
  return {
    log: (i, pad, id) =>
      pad.length > 1000
        ? logger.info({ i }, pad)
        : logger.info(
            { i, request_id: id, path: '/api/activities/home', status: 200, pad },
            'request handled',
          ),
    finish: async () => {
      logger.flush();
      transport.end();
      await once(transport, 'close');
    },
  };
}

// ---------------------------------------------------------------- parent: local, children, table
async function parent() {
  const { startLocal } = await import('@sightline/local');
  const local = await startLocal();
  const started = Date.now();
  console.log(
    `CloudWatch Logs shippers against @sightline/local (scale ${scale}); each run in its own child process.`,
  );
  for (const name of ONLY ?? Object.keys(WORKLOADS)) {
    const w = WORKLOADS[name];
    if (!w) throw new Error(`unknown workload "${name}" (known: ${Object.keys(WORKLOADS).join(', ')})`);
    console.log(`\n## ${name}: ${w.what}`);
    const runs = [];
    for (let r = 0; r < REPEAT; r++) {
      if (REPEAT > 1) console.log(`\nrun ${r + 1} of ${REPEAT}`);
      // Interleaved, and the starting contender rotates, so a slow minute of the machine hits all alike.
      const order = CONTENDERS.map((_, k) => CONTENDERS[(k + r) % CONTENDERS.length]);
      const rows = [];
      for (const contender of order) rows.push(await runOne(local, contender, name, w));
      rows.sort((a, b) => CONTENDERS.indexOf(a.contender) - CONTENDERS.indexOf(b.contender));
      printTable(rows);
      runs.push(rows);
    }
    if (REPEAT > 1) printRepeatSummary(runs);
  }
  await local.close();
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function runOne(local, contender, name, w) {
  const group = `bench-${contender}-${name}`;
  local.clear();
  const env = {
    ...process.env,
    ...local.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    CWLOGS_BENCH_QUICK: scale < 1 ? '1' : '0',
  };
  // The outage: a port nothing listens on (connection refused), as during a network partition.
  if (w.end === 'outage') env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = 'http://127.0.0.1:9';
  const proc = spawn(process.execPath, [SELF, '--child', contender, name, group], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => {
    out += d;
  });
  proc.stderr.on('data', (d) => {
    err += d;
  });
  // A contender that has not finished by then is killed (its undelivered events count as lost).
  const limitMs = w.end === 'exit' ? 20_000 : 45_000;
  const killer = setTimeout(() => proc.kill('SIGKILL'), limitMs);
  const [code] = await once(proc, 'exit');
  clearTimeout(killer);
  const line = out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  const r = line ? JSON.parse(line) : {};
  const events = local.logEvents({ group });
  const putCalls = local.requests({ backend: 'cwlogs' }).filter((q) => q.operation === 'PutLogEvents');
  const okCalls = putCalls.filter((q) => q.status === 200).length;
  const lastIngest = events.reduce((m, e) => Math.max(m, e.ingestionTime), 0);
  const unsentNote = /(\d+) log event\(s\) were not sent/.exec(err)?.[1];
  return {
    contender,
    calls: okCalls,
    attempts: putCalls.length,
    lowerBound: w.end === 'outage' ? 0 : lowerBound(events.map((e) => Buffer.byteLength(e.message) + 26)),
    lost: w.end === 'outage' ? undefined : w.n - events.length,
    wallMs: events.length > 0 && r.t0 ? lastIngest - r.t0 : undefined,
    nsPerCall: r.callerNsPerCall,
    rssMb: r.maxRssKb ? r.maxRssKb / 1024 : undefined,
    exit: code,
    note: [
      unsentNote ? `stderr: ${unsentNote} unsent at exit` : '',
      r.stats && Object.keys(r.stats.dropped).length > 0
        ? `counted drops ${JSON.stringify(r.stats.dropped)}`
        : '',
      code === null ? `still running after ${limitMs / 1000} s: killed` : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
}

/** Fewest requests that could carry these events: by count, by total bytes, and by how many of the smallest fit one request. */
function lowerBound(sizes) {
  if (sizes.length === 0) return 0;
  const sorted = [...sizes].sort((a, b) => a - b);
  let fit = 0;
  let sum = 0;
  while (fit < sorted.length && fit < MAX_REQUEST_EVENTS && sum + sorted[fit] <= MAX_REQUEST_BYTES)
    sum += sorted[fit++];
  const total = sizes.reduce((a, b) => a + b, 0);
  return Math.max(Math.ceil(sizes.length / fit), Math.ceil(total / MAX_REQUEST_BYTES));
}

/** Median and spread of caller ns/call over the runs, and the median of the same-run ratios to sightline. */
function printRepeatSummary(runs) {
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  console.log(`\nover ${runs.length} runs: caller ns/call`);
  console.log('| contender | runs | median | min – max | median of same-run ratio to sightline |');
  console.log('|---|---|---|---|---|');
  for (const contender of CONTENDERS) {
    const values = [];
    const ratios = [];
    for (const rows of runs) {
      const r = rows.find((x) => x.contender === contender);
      const base = rows.find((x) => x.contender === 'sightline');
      if (r?.nsPerCall === undefined) continue;
      values.push(r.nsPerCall);
      if (base?.nsPerCall) ratios.push(r.nsPerCall / base.nsPerCall);
    }
    if (values.length === 0) {
      console.log(`| ${contender} | 0 | - | - | - |`);
      continue;
    }
    const ratio = ratios.length > 0 ? `${median(ratios).toFixed(2)}x` : '-';
    console.log(
      `| ${contender} | ${values.length} | ${median(values).toFixed(0)} | ${Math.min(...values).toFixed(0)} – ${Math.max(...values).toFixed(0)} | ${ratio} |`,
    );
  }
}

function printTable(rows) {
  const base = rows.find((r) => r.contender === 'sightline');
  const fmt = (v, d = 0) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d));
  const ratio = (v, b) => (v === undefined || b === undefined || b === 0 ? '' : ` (${(v / b).toFixed(2)}x)`);
  console.log(
    '| contender | PutLogEvents ok / attempts | lower bound | calls vs bound | lost | wall to full delivery ms | caller ns/call | peak RSS MB | note |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const over = r.lowerBound ? `${(((r.calls - r.lowerBound) / r.lowerBound) * 100).toFixed(1)} %` : '-';
    console.log(
      `| ${r.contender} | ${r.calls} / ${r.attempts} | ${r.lowerBound || '-'} | ${over} | ${r.lost ?? '-'} | ${fmt(r.wallMs)}${ratio(r.wallMs, base?.wallMs)} | ${fmt(r.nsPerCall)}${ratio(r.nsPerCall, base?.nsPerCall)} | ${fmt(r.rssMb, 1)}${ratio(r.rssMb, base?.rssMb)} | ${r.note} |`,
    );
  }
}
