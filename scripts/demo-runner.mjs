// The main job (`npm run demo`, after install + build): @sightline/local on loopback, the Cruddur
// example as a child process pointed at it, a realistic mix of traffic, a graceful SIGTERM, then what
// each of the four backends received. Exit 0 only when every backend got what it should.
//
// The steps are exported so the example's end-to-end test runs the same flow and asserts on the stores.
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

export const EXAMPLE_DIR = join('examples', 'cruddur-backend');
export const SERVICE_NAME = 'backend-flask';
export const LOG_GROUP = 'cruddur';
const FRONTEND_URL = 'http://localhost:3000';
const ACTIVITY = '68f126b0-1ceb-4a33-88be-d90fa7109eee';
/** The failing request continues an upstream trace, as behind an ALB that decided to sample it. */
const FAILING_PATH = '/rollbar/error';
/**
 * X-Ray names a segment after the request's Host when it matches AWS_XRAY_URL, and a sampling rule's
 * ServiceName is matched against that name. The Cruddur rule says `backend-flask`, so the bulk of the
 * traffic comes with the service's public name (`localhost:PORT`, which the pattern does not match:
 * segments are named `backend-flask` and the Cruddur rule samples them) and the failing request with
 * `127.0.0.1:PORT`, which matches: its segment is named after the host.
 */
export const XRAY_URL_PATTERN = '*127.0.0.1*';

// ---------------------------------------------------------------------------------------------
// Start-up

/** Starts all four receivers of @sightline/local (the built package) on free loopback ports. */
export async function startLocalBackends(root) {
  const { startLocal } = await import(pathToFileURL(join(root, 'packages/local/dist/index.js')).href);
  return startLocal({ rollbarAccessToken: FAKE_TOKENS.rollbar });
}

/** Obviously fake credentials: the demo never talks to a real service. */
export const FAKE_TOKENS = {
  honeycomb: 'demo-fake-honeycomb-key-0000',
  rollbar: 'demo-fake-rollbar-token-0000',
};

/** Variables inherited from the caller's shell that could point the service at a real cloud. */
const REAL_CLOUD_VARIABLE = /^(OTEL_|AWS_|HONEYCOMB_|ROLLBAR_|SIGHTLINE_)/;

/** The child's environment: the caller's, minus anything cloud-related, plus local's and Cruddur's. */
export function serviceEnv(baseEnv, local, port) {
  const env = Object.fromEntries(Object.entries(baseEnv).filter(([k]) => !REAL_CLOUD_VARIABLE.test(k)));
  return {
    ...env,
    ...local.env,
    // What Cruddur's docker-compose.yml set, pointed at loopback.
    OTEL_SERVICE_NAME: SERVICE_NAME,
    HONEYCOMB_API_KEY: FAKE_TOKENS.honeycomb,
    OTEL_EXPORTER_OTLP_HEADERS: `x-honeycomb-team=${FAKE_TOKENS.honeycomb}`,
    AWS_XRAY_URL: XRAY_URL_PATTERN,
    AWS_DEFAULT_REGION: local.env.AWS_REGION,
    ROLLBAR_ACCESS_TOKEN: FAKE_TOKENS.rollbar,
    FRONTEND_URL,
    BACKEND_URL: `http://localhost:${port}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NODE_ENV: 'production',
  };
}

/** A free TCP port on 127.0.0.1 (asked of the OS, then released for the child). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the example from its TypeScript source with tsx (no build step) as a child process and
 * resolves once `/api/health-check` answers. `output` collects its stdout and stderr lines.
 */
export async function startService({ root, env, local, timeoutMs = 20_000 }) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: join(root, EXAMPLE_DIR),
    env: serviceEnv(env, local, port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      output.push(...lines);
    });
    stream.on('end', () => rest && output.push(rest));
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  // Health checks that got an answer reached the service: they are requests like any other.
  let requestsSent = 0;
  let early;
  void exited.then((result) => {
    early = result;
  });
  for (;;) {
    if (early) throw new ServiceError(`the service exited during start-up (${describeExit(early)})`, output);
    try {
      const res = await send1(undefined, url, '/api/health-check', 'GET', {
        host: `localhost:${port}`,
        'user-agent': 'cruddur-demo (start-up)',
      });
      requestsSent++;
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new ServiceError(`the service did not answer /api/health-check within ${timeoutMs} ms`, output);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  /** SIGTERM, then the exit (SIGKILL after `graceMs`): `{ code, signal, ms }`. */
  const stop = async (graceMs = 15_000) => {
    const started = performance.now();
    if (early) return { ...early, ms: 0 };
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const result = await exited;
    clearTimeout(timer);
    return { ...result, ms: performance.now() - started };
  };
  return { url, port, child, output, stop, requestsSent };
}

export class ServiceError extends Error {
  constructor(message, output) {
    super(message);
    this.name = 'ServiceError';
    this.output = output;
  }
}

const describeExit = ({ code, signal }) => (signal ? `signal ${signal}` : `code ${code}`);

// ---------------------------------------------------------------------------------------------
// Traffic

/** A random X-Ray trace id and the matching OTel one (same 128 bits). */
export function newTraceIds() {
  const hex = (bytes) =>
    Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join(
      '',
    );
  const epoch = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  const rest = hex(12);
  return { xrayTraceId: `1-${epoch}-${rest}`, traceId: `${epoch}${rest}`, parentId: hex(8) };
}

const json = (body) => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

/** One person using the app, every route once (route label, method, path, request init). */
const SESSION = [
  ['GET /api/health-check', '/api/health-check'],
  ['GET /api/activities/home', '/api/activities/home', { headers: { origin: FRONTEND_URL } }],
  ['GET /api/activities/notifications', '/api/activities/notifications'],
  ['GET /api/activities/@:handle', '/api/activities/@andrewbrown'],
  ['GET /api/activities/search', '/api/activities/search?term=cloud'],
  ['POST /api/activities', '/api/activities', json({ message: 'Sightline sees everything', ttl: '7-days' })],
  ['GET /api/activities/:activity_uuid', `/api/activities/${ACTIVITY}`],
  [
    'POST /api/activities/:activity_uuid/reply',
    `/api/activities/${ACTIVITY}/reply`,
    json({ message: 'Qapla!' }),
  ],
  ['GET /api/message_groups', '/api/message_groups'],
  ['GET /api/messages/@:handle', '/api/messages/@worf'],
  [
    'POST /api/messages',
    '/api/messages',
    json({ message: 'Today is a good day', user_receiver_handle: 'worf' }),
  ],
  ['GET /rollbar/test', '/rollbar/test'],
];

/** Requests the service must refuse with 422 (the code it must answer is the last). */
const INVALID = [
  ['GET /api/activities/search', '/api/activities/search', undefined, 'search_term_blank'],
  ['POST /api/activities', '/api/activities', json({ message: '', ttl: '7-days' }), 'message_blank'],
  [
    'POST /api/activities',
    '/api/activities',
    json({ message: 'x'.repeat(281), ttl: '1-day' }),
    'message_exceed_max_chars',
  ],
  ['POST /api/activities', '/api/activities', json({ message: 'hi', ttl: 'forever' }), 'ttl_blank'],
  [
    'POST /api/activities/:activity_uuid/reply',
    `/api/activities/${ACTIVITY}/reply`,
    json({ message: '' }),
    'message_blank',
  ],
  ['POST /api/messages', '/api/messages', json({ message: 'hi' }), 'user_reciever_handle_blank'],
];

/** What the bursts cycle through: reads mostly, a few invalid searches. */
const BURST = [
  ['GET /api/activities/home', '/api/activities/home'],
  ['GET /api/activities/notifications', '/api/activities/notifications'],
  ['GET /api/activities/@:handle', '/api/activities/@worf'],
  ['GET /api/activities/:activity_uuid', `/api/activities/${ACTIVITY}`],
  ['GET /api/message_groups', '/api/message_groups'],
  ['GET /api/messages/@:handle', '/api/messages/@garek'],
  ['GET /api/activities/search', '/api/activities/search?term=tailor'],
  ['GET /api/activities/search', '/api/activities/search?term='],
];

/**
 * Sends the mix: a paced session over every route (at most 4 requests a second, so the Cruddur rule's
 * reservoir of 5/s samples all of them), six 422s, one failing request that continues a sampled
 * upstream trace, then three concurrent bursts that go past the reservoir (10 % of the excess sampled).
 */
export async function sendTraffic(baseUrl, { paceMs = 260, bursts = 3, burstSize = 25 } = {}) {
  const requests = [];
  const { port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  const send = async (phase, route, path, init = {}, extraHeaders = {}) => {
    const started = performance.now();
    const headers = {
      host: `localhost:${port}`,
      'user-agent': `cruddur-demo (${phase})`,
      ...(init.headers ?? {}),
      ...extraHeaders,
    };
    const res = await send1(agent, baseUrl, path, init.method ?? 'GET', headers, init.body);
    const record = { phase, route, method: init.method ?? 'GET', path, status: res.status, body: res.body };
    record.ms = performance.now() - started;
    requests.push(record);
    return record;
  };
  const pause = (ms) => new Promise((r) => setTimeout(r, ms));

  for (const [route, path, init] of SESSION) {
    await send('session', route, path, init);
    await pause(paceMs);
  }
  for (const [route, path, init, code] of INVALID) {
    const r = await send('invalid', route, path, init);
    r.expectedCode = code;
    await pause(paceMs);
  }
  const traced = newTraceIds();
  await send(
    'failing',
    `GET ${FAILING_PATH}`,
    FAILING_PATH,
    {},
    {
      host: `127.0.0.1:${port}`,
      'x-amzn-trace-id': `Root=${traced.xrayTraceId};Parent=${traced.parentId};Sampled=1`,
    },
  );
  for (let b = 0; b < bursts; b++) {
    await Promise.all(
      Array.from({ length: burstSize }, (_, i) => {
        const [route, path] = BURST[(i + b) % BURST.length];
        return send(`burst ${b + 1}`, route, path);
      }),
    );
    await pause(150);
  }
  agent.destroy();
  return { requests, traced };
}

/** One HTTP request with node:http (fetch does not let a caller set Host). */
function send1(agent, baseUrl, path, method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, baseUrl), { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// What the backends received

const attr = (span, key) => span.attributes?.[key];

/** The route a server span stands for (`http.route` when the adapter set it, else the span name). */
export function spanRoute(span) {
  const route = attr(span, 'http.route');
  const method = attr(span, 'http.request.method') ?? attr(span, 'http.method');
  if (typeof route === 'string') return method ? `${method} ${route}` : route;
  return span.name;
}

export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Every (sub)segment document in a segment tree, the segment itself included. */
function* walkSegment(doc) {
  yield doc;
  for (const sub of doc.subsegments ?? []) yield* walkSegment(sub);
}

function itemText(item) {
  const body = item.data.body ?? {};
  if (body.message?.body) return body.message.body;
  const chain = body.trace_chain ?? (body.trace ? [body.trace] : []);
  const exc = chain[0]?.exception;
  return exc ? `${exc.class}: ${exc.message}` : JSON.stringify(body).slice(0, 60);
}

/**
 * Waits (briefly: the service flushed before exiting) until the stores hold what the traffic must
 * have produced, then evaluates every check. Returns `{ checks, tables }`.
 */
export async function collectReport(local, traffic, { waitMs = 5_000, extraRequests = 0 } = {}) {
  const { requests, traced } = traffic;
  const total = requests.length + extraRequests;
  const logs = () => local.logEvents({ group: LOG_GROUP });
  const serverSpans = () => local.spans().filter((s) => s.kindName === 'SERVER');
  // One wait for everything that must arrive; a timeout is not fatal, the checks say what is missing.
  await local
    .waitFor(
      () =>
        serverSpans().length >= total &&
        logs().filter((e) => isAccessLine(e.message)).length >= total &&
        local.items().length >= 2 &&
        local.segments({ traceId: traced.xrayTraceId }).length > 0,
      { timeoutMs: waitMs },
    )
    .catch(() => undefined);

  const checks = [];
  const check = (backend, name, ok, detail = '') => checks.push({ backend, name, ok: Boolean(ok), detail });
  const tables = {};

  // Traffic itself.
  const wrong = requests.filter((r) => {
    if (r.phase === 'failing') return r.status !== 500;
    if (r.expectedCode) return r.status !== 422 || !r.body.includes(r.expectedCode);
    if (r.path.endsWith('term=')) return r.status !== 422;
    return r.status !== 200;
  });
  check(
    'service',
    'every request answered as the reference says',
    wrong.length === 0,
    wrong.map((r) => `${r.route} → ${r.status}`).join(', '),
  );

  // Traces (OTLP).
  const spans = local.spans();
  const byRoute = new Map();
  for (const span of spans) {
    const key = span.kindName === 'SERVER' ? spanRoute(span) : `  ${span.name}`;
    const row = byRoute.get(key) ?? { kind: span.kindName, durations: [], errors: 0 };
    row.durations.push(span.durationMs);
    if (span.status.code === 2) row.errors++;
    byRoute.set(key, row);
  }
  tables.spans = [...byRoute.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, row]) => [
      key,
      row.kind.toLowerCase(),
      String(row.durations.length),
      ms(percentile(row.durations, 50)),
      ms(percentile(row.durations, 90)),
      ms(Math.max(...row.durations)),
      row.errors ? String(row.errors) : '',
    ]);
  const servers = serverSpans();
  check('tracing', `one server span per request (${servers.length}/${total})`, servers.length === total);
  const mock = local.spans({ name: 'home-activities-mock-data' });
  check(
    'tracing',
    'home-activities-mock-data spans carry app.now and app.result_length = 3',
    mock.length > 0 &&
      mock.every((s) => typeof attr(s, 'app.now') === 'string' && Number(attr(s, 'app.result_length')) === 3),
  );
  check(
    'tracing',
    'activities_home, activities_users and activities_show captured',
    ['activities_home', 'activities_users', 'activities_show'].every(
      (n) => local.spans({ name: n }).length > 0,
    ),
  );
  const failingSpans = local.spans({ traceId: traced.traceId });
  check(
    'tracing',
    'the failing request has an ERROR span',
    failingSpans.some((s) => s.status.code === 2),
  );
  const otlpRequests = local.requests({ backend: 'otlp' });
  const teamHeader = otlpRequests[0]?.headers['x-honeycomb-team'];
  check('tracing', `x-honeycomb-team header sent (${teamHeader ?? 'missing'})`, teamHeader !== undefined);
  check(
    'tracing',
    `resource service.name = ${SERVICE_NAME}`,
    spans.length > 0 && spans.every((s) => s.resource['service.name'] === SERVICE_NAME),
  );

  // X-Ray (daemon UDP).
  const segments = local.segments().filter((s) => s.kind === 'segment');
  const phaseOf = (name) => (name.startsWith('burst') ? 'bursts' : name);
  const sampling = new Map();
  const row = (phase) => {
    if (!sampling.has(phase))
      sampling.set(phase, { requests: 0, sampled: 0, rules: new Map(), names: new Set() });
    return sampling.get(phase);
  };
  if (extraRequests > 0) row('start-up').requests += extraRequests;
  for (const r of requests) row(phaseOf(r.phase)).requests++;
  for (const s of segments) {
    const m = /\(([^)]+)\)/.exec(s.document.http?.request?.user_agent ?? '');
    const r = row(m ? phaseOf(m[1]) : 'start-up');
    r.sampled++;
    r.names.add(s.name);
    const rule = s.document.aws?.xray?.rule_name ?? (m?.[1] === 'failing' ? 'upstream Sampled=1' : 'default');
    r.rules.set(rule, (r.rules.get(rule) ?? 0) + 1);
  }
  tables.sampling = [...sampling.entries()].map(([phase, r]) => [
    phase,
    String(r.requests),
    String(r.sampled),
    [...r.rules.entries()].map(([rule, n]) => `${rule} ×${n}`).join(', '),
    [...r.names].join(', '),
  ]);
  const docs = local.segments().flatMap((s) => [...walkSegment(s.document)]);
  const subNames = new Set(docs.map((d) => d.name));
  const segmentNameSet = new Set(segments.map((s) => s.name));
  tables.subsegments = [...subNames].filter((n) => !segmentNameSet.has(n)).sort();
  const session = sampling.get('session') ?? { requests: 0, sampled: 0, rules: new Map() };
  const bursts = sampling.get('bursts') ?? { requests: 0, sampled: 0, rules: new Map() };
  check(
    'xray',
    `paced session (≤ 4 req/s) all sampled by the Cruddur rule's reservoir (${session.sampled}/${session.requests})`,
    session.requests > 0 &&
      session.sampled === session.requests &&
      session.rules.get('Cruddur') === session.sampled,
  );
  check(
    'xray',
    `bursts sampled in part: reservoir, then 10 % (${bursts.sampled}/${bursts.requests})`,
    bursts.sampled > 0 && bursts.sampled < bursts.requests,
  );
  check(
    'xray',
    'subsegments activities_home, activities_users, activities_show, mock-data',
    ['activities_home', 'activities_users', 'activities_show', 'mock-data'].every((n) => subNames.has(n)),
  );
  const mockDoc = docs.find((d) => d.name === 'mock-data');
  check(
    'xray',
    'mock-data metadata namespace.key = { now, results-size }',
    mockDoc?.metadata?.namespace?.key?.['results-size'] === 1,
  );
  const failingSegment = local.segments({ traceId: traced.xrayTraceId }).find((s) => s.kind === 'segment');
  check(
    'xray',
    "the failing request's segment has fault and status 500",
    failingSegment?.document.fault === true && failingSegment.document.http?.response?.status === 500,
  );
  check(
    'xray',
    `named ${SERVICE_NAME}, or after the Host when it matches AWS_XRAY_URL (${failingSegment?.name ?? '–'})`,
    segments.length > 0 &&
      segments.every((s) => s === failingSegment || s.name === SERVICE_NAME) &&
      /^127\.0\.0\.1:\d+$/.test(failingSegment?.name ?? ''),
  );

  // CloudWatch Logs.
  const events = logs();
  const byStream = new Map();
  for (const e of events) byStream.set(e.stream, (byStream.get(e.stream) ?? 0) + 1);
  tables.streams = [...byStream.entries()].map(([stream, n]) => [LOG_GROUP, stream, String(n)]);
  const access = events.filter((e) => isAccessLine(e.message));
  tables.accessSample = access.slice(0, 3).map((e) => e.message);
  check(
    'cwlogs',
    `one access line per request in group ${LOG_GROUP} (${access.length}/${total})`,
    access.length === total,
  );
  check(
    'cwlogs',
    '"Hello Cloudwatch! from /api/activities/home" logged',
    events.some((e) => e.message.includes('Hello Cloudwatch! from /api/activities/home')),
  );
  check(
    'cwlogs',
    'access lines carry 200, 422 and 500',
    [200, 422, 500].every((status) =>
      access.some((e) => new RegExp(`https? /\\S* ${status}\\b`).test(e.message)),
    ),
  );

  // Rollbar.
  const items = local.items();
  tables.items = items.map((i) => [String(i.data.level), itemText(i), String(i.data.environment ?? '')]);
  check(
    'errors',
    '/rollbar/test reported "Hello World!" at level warning',
    items.some((i) => i.data.level === 'warning' && itemText(i) === 'Hello World!'),
  );
  check(
    'errors',
    'the failing request reported as an error',
    items.some((i) => i.data.level === 'error' && itemText(i).includes('Deliberate failure')),
  );

  // One trace, four backends.
  const found = {
    tracing: failingSpans.length,
    xray: local.segments({ traceId: traced.xrayTraceId }).length,
    cwlogs: events.filter((e) => e.message.includes(traced.traceId) || e.message.includes(traced.xrayTraceId))
      .length,
    errors: items.filter((i) => {
      const text = JSON.stringify(i.payload);
      return text.includes(traced.traceId) || text.includes(traced.xrayTraceId);
    }).length,
  };
  tables.trace = { ...traced, found };
  check(
    'all',
    "the failing request's trace id found in all four backends",
    Object.values(found).every((n) => n > 0),
  );

  // A first PutLogEvents to a stream that does not exist yet is answered ResourceNotFoundException by
  // design: the sender then creates the stream and sends again. Anything else is a sender bug.
  const rejections = local.rejections().filter((r) => r.reason !== 'ResourceNotFoundException');
  check(
    'all',
    `@sightline/local rejected nothing (${rejections.length})`,
    rejections.length === 0,
    rejections
      .slice(0, 3)
      .map((r) => `${r.backend}:${r.reason}`)
      .join(', '),
  );
  return { checks, tables };
}

/** `[2026-Nov-27 19:45] 127.0.0.1 GET http /path 200 OK`, possibly inside a JSON event. */
const ACCESS_LINE = /\[\d{4}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}\] \S+ [A-Z]+ https? \/\S* \d{3}/;
export const isAccessLine = (message) => ACCESS_LINE.test(message);

// ---------------------------------------------------------------------------------------------
// Printing

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint('1');
const dim = paint('2');
const green = paint('32');
const red = paint('31');
const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '–');
const seconds = (v) => `${(v / 1000).toFixed(1)} s`;

/** An aligned table; columns whose header starts with '>' are right-aligned. */
export function table(headers, rows) {
  const right = headers.map((h) => h.startsWith('>'));
  const names = headers.map((h) => h.replace(/^>/, ''));
  const widths = names.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) =>
    `  ${cells.map((c, i) => (right[i] ? String(c ?? '').padStart(widths[i]) : String(c ?? '').padEnd(widths[i]))).join('  ')}`.trimEnd();
  return [dim(line(names)), ...rows.map(line)].join('\n');
}

function printReport({ checks, tables }, { requests }, extra) {
  const out = (s = '') => console.log(s);
  const phases = new Map();
  if (extra.startupRequests) phases.set('start-up', { n: extra.startupRequests, statuses: { 200: 1 } });
  for (const r of requests) {
    const key = r.phase.startsWith('burst') ? 'bursts (concurrent)' : r.phase;
    const p = phases.get(key) ?? { n: 0, statuses: {} };
    p.n++;
    p.statuses[r.status] = (p.statuses[r.status] ?? 0) + 1;
    phases.set(key, p);
  }
  const total = [...phases.values()].reduce((sum, p) => sum + p.n, 0);
  out(bold(`\nTraffic: ${total} requests`));
  out(
    table(
      ['phase', '>requests', 'answers'],
      [...phases.entries()].map(([phase, p]) => [
        phase,
        String(p.n),
        Object.entries(p.statuses)
          .map(([status, n]) => `${n} × ${status}`)
          .join(', '),
      ]),
    ),
  );

  out(bold('\nHoneycomb / OTLP — spans per route'));
  out(table(['span', 'kind', '>count', '>p50', '>p90', '>max', '>errors'], tables.spans));

  out(bold('\nX-Ray — segments and the Cruddur sampling rule') + dim('  (ReservoirSize 5/s, FixedRate 0.1)'));
  out(table(['traffic', '>requests', '>sampled', 'decided by', 'segment name'], tables.sampling));
  out(dim(`  subsegments: ${tables.subsegments.join(', ') || '–'}`));

  out(bold('\nCloudWatch Logs — events per stream'));
  out(table(['group', 'stream', '>events'], tables.streams));
  for (const line of tables.accessSample)
    out(dim(`  ${line.length > 140 ? `${line.slice(0, 137)}...` : line}`));

  out(bold('\nRollbar — items'));
  out(table(['level', 'item', 'environment'], tables.items));

  const { traceId, xrayTraceId, found } = tables.trace;
  out(bold(`\nOne request, four backends: GET ${FAILING_PATH}`));
  out(
    table(
      ['backend', 'trace id', '>records'],
      [
        ['Honeycomb', traceId, found.tracing],
        ['X-Ray', xrayTraceId, found.xray],
        ['CloudWatch Logs', `${traceId} / ${xrayTraceId}`, found.cwlogs],
        ['Rollbar', `${traceId} / ${xrayTraceId}`, found.errors],
      ],
    ),
  );

  out(bold('\nChecks'));
  for (const c of checks) {
    out(
      `  ${c.ok ? green('✓') : red('✗')} ${dim(c.backend.padEnd(8))} ${c.name}${!c.ok && c.detail ? red(`  (${c.detail})`) : ''}`,
    );
  }
  const t = extra.timings;
  out(
    dim(
      `\n  service ready in ${seconds(t.readyMs)}, traffic ${seconds(t.trafficMs)}, SIGTERM to exit ${seconds(extra.stop.ms)} (${describeExit(extra.stop)}), stores checked in ${seconds(t.collectMs)}; whole demo ${seconds(t.totalMs)}`,
    ),
  );
}

// ---------------------------------------------------------------------------------------------

export async function runDemo({ root, env = process.env }) {
  const started = performance.now();
  let local;
  let service;
  try {
    local = await startLocalBackends(root);
    console.log(bold('\n@sightline/local') + dim(' on 127.0.0.1'));
    console.log(
      table(
        ['backend', 'listens on'],
        [
          ['OTLP/HTTP (Honeycomb)', local.env.OTEL_EXPORTER_OTLP_ENDPOINT],
          ['X-Ray daemon (UDP)', local.env.AWS_XRAY_DAEMON_ADDRESS],
          ['CloudWatch Logs', local.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS],
          ['Rollbar', local.env.ROLLBAR_ENDPOINT],
        ],
      ),
    );

    const t1 = performance.now();
    service = await startService({ root, env, local });
    const readyMs = performance.now() - t1;
    console.log(
      bold(`\nCruddur backend (${EXAMPLE_DIR}) at ${service.url}`) + dim(`  ready in ${seconds(readyMs)}`),
    );
    for (const line of service.output.filter((l) => l.trim() !== '').slice(0, 8))
      console.log(dim(`  │ ${line}`));

    console.log(
      dim(
        '\n  sending traffic: paced session over every route, 422s, one failing request, 3 concurrent bursts…',
      ),
    );
    const t2 = performance.now();
    const traffic = await sendTraffic(service.url);
    const trafficMs = performance.now() - t2;
    const stop = await service.stop();
    const t3 = performance.now();
    const report = await collectReport(local, traffic, { extraRequests: service.requestsSent });
    const collectMs = performance.now() - t3;
    if (stop.code !== 0)
      report.checks.push({
        backend: 'service',
        name: `exited 0 after SIGTERM (${describeExit(stop)})`,
        ok: false,
        detail: '',
      });
    printReport(report, traffic, {
      stop,
      timings: { readyMs, trafficMs, collectMs, totalMs: performance.now() - started },
      startupRequests: service.requestsSent,
    });

    const failed = report.checks.filter((c) => !c.ok);
    if (failed.length > 0) {
      console.log(
        red(bold(`\n✗ ${failed.length} of ${report.checks.length} checks failed.`)) +
          dim(' Last lines of the service:'),
      );
      for (const line of service.output.slice(-25)) console.log(dim(`  │ ${line}`));
      return 1;
    }
    console.log(
      green(bold(`\n✓ all ${report.checks.length} checks passed: every backend received what it should.`)),
    );
    return 0;
  } catch (error) {
    console.error(red(`\n✗ demo failed: ${error instanceof Error ? error.message : String(error)}`));
    for (const line of (error?.output ?? service?.output ?? []).slice(-25)) console.error(dim(`  │ ${line}`));
    if (service) await service.stop(2_000).catch(() => undefined);
    return 1;
  } finally {
    await local?.close();
  }
}
