// The demo's flow end to end: @sightline/local, the service as a child process (built packages, tsx),
// the same traffic as `npm run demo`, a SIGTERM, then assertions on what each backend stored.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Local, StoredSegment, StoredSpan } from '@sightline/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface TrafficRecord {
  phase: string;
  route: string;
  path: string;
  status: number;
  body: string;
}
interface Traffic {
  requests: TrafficRecord[];
  traced: { traceId: string; xrayTraceId: string };
}
interface Service {
  url: string;
  output: string[];
  /** Health checks answered during start-up (they are requests too). */
  requestsSent: number;
  stop(): Promise<{ code: number | null; signal: string | null; ms: number }>;
}
interface DemoRunner {
  startLocalBackends(root: string): Promise<Local>;
  startService(options: {
    root: string;
    env: NodeJS.ProcessEnv;
    local: Local;
    timeoutMs?: number;
  }): Promise<Service>;
  sendTraffic(
    url: string,
    options?: { paceMs?: number; bursts?: number; burstSize?: number },
  ): Promise<Traffic>;
  collectReport(
    local: Local,
    traffic: Traffic,
    options?: { extraRequests?: number },
  ): Promise<{ checks: { backend: string; name: string; ok: boolean; detail: string }[] }>;
  isAccessLine(message: string): boolean;
  spanRoute(span: StoredSpan): string;
  LOG_GROUP: string;
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
let demo: DemoRunner;
let local: Local;
let service: Service;
let traffic: Traffic;
let stopped: { code: number | null; signal: string | null; ms: number };

beforeAll(async () => {
  demo = (await import(pathToFileURL(join(ROOT, 'scripts/demo-runner.mjs')).href)) as DemoRunner;
  local = await demo.startLocalBackends(ROOT);
  // Generous start-up deadline: CI runs this beside other test files on two cores.
  service = await demo.startService({ root: ROOT, env: process.env, local, timeoutMs: 45_000 });
  traffic = await demo.sendTraffic(service.url, { bursts: 2, burstSize: 20 });
  stopped = await service.stop();
}, 90_000);

afterAll(async () => {
  await local?.close();
});

const total = () => traffic.requests.length + service.requestsSent;
const serverSpans = () => local.spans().filter((s) => s.kindName === 'SERVER');
function* walk(doc: Record<string, unknown>): Generator<Record<string, unknown>> {
  yield doc;
  for (const sub of (doc.subsegments as Record<string, unknown>[] | undefined) ?? []) yield* walk(sub);
}
const allDocs = (segments: StoredSegment[]) => segments.flatMap((s) => [...walk(s.document)]);

describe('the Cruddur demo against @sightline/local', () => {
  it('stops gracefully on SIGTERM, exit code 0', () => {
    expect(stopped.code, service.output.slice(-20).join('\n')).toBe(0);
  });

  it('every check of the demo passes', async () => {
    const { checks } = await demo.collectReport(local, traffic, { extraRequests: service.requestsSent });
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('traces: one server span per request, named by route, the error in status ERROR', () => {
    expect(serverSpans()).toHaveLength(total());
    const routes = new Set(serverSpans().map((s) => demo.spanRoute(s)));
    for (const route of ['GET /api/activities/@:handle', 'POST /api/activities/:activity_uuid/reply']) {
      expect(routes).toContain(route);
    }
    const failing = local.spans({ traceId: traffic.traced.traceId });
    expect(failing.some((s) => s.kindName === 'SERVER' && s.status.code === 2)).toBe(true);
    for (const span of local.spans()) expect(span.resource['service.name']).toBe('backend-flask');
  });

  it('traces: home-activities-mock-data on tracer home.activities, under the activities_home capture', () => {
    const [mock] = local.spans({ name: 'home-activities-mock-data' });
    expect(mock).toBeDefined();
    expect(mock!.scope.name).toBe('home.activities');
    expect(mock!.attributes['app.now']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(mock!.attributes['app.result_length']).toBe(3);
    const parent = local.spans({ traceId: mock!.traceId }).find((s) => s.spanId === mock!.parentSpanId);
    expect(parent?.name).toBe('activities_home');
  });

  it('x-ray: the Cruddur rule samples the paced session and part of the bursts', () => {
    const segments = local.segments().filter((s) => s.kind === 'segment');
    const doc = (s: StoredSegment) =>
      s.document as { http?: { request?: { user_agent?: string } }; aws?: { xray?: { rule_name?: string } } };
    const ofPhase = (phase: string) =>
      segments.filter((s) => String(doc(s).http?.request?.user_agent).includes(phase));
    const session = traffic.requests.filter((r) => r.phase === 'session').length;
    expect(ofPhase('(session)')).toHaveLength(session);
    for (const s of ofPhase('(session)')) {
      expect(s.name).toBe('backend-flask');
      expect(doc(s).aws?.xray?.rule_name).toBe('Cruddur');
    }
    const bursts = traffic.requests.filter((r) => r.phase.startsWith('burst')).length;
    const sampledBursts = ofPhase('(burst').length;
    expect(sampledBursts).toBeGreaterThan(0);
    expect(sampledBursts).toBeLessThan(bursts);
  });

  it('x-ray: a Host matching AWS_XRAY_URL names the segment (the failing request came as 127.0.0.1)', () => {
    const failing = local.segments({ traceId: traffic.traced.xrayTraceId }).find((s) => s.kind === 'segment');
    expect(failing?.name).toBe(new URL(service.url).host);
  });

  it('x-ray: the same trace ids as OTel, subsegments and mock-data metadata', () => {
    const docs = allDocs(local.segments());
    const names = new Set(docs.map((d) => d.name));
    for (const n of ['activities_home', 'activities_users', 'activities_show', 'mock-data'])
      expect(names).toContain(n);
    const mock = docs.find((d) => d.name === 'mock-data') as {
      metadata?: Record<string, Record<string, unknown>>;
    };
    expect(mock.metadata?.namespace?.key).toMatchObject({ 'results-size': 1 });
    const failing = local.segments({ traceId: traffic.traced.xrayTraceId }).find((s) => s.kind === 'segment');
    expect(failing?.document).toMatchObject({ fault: true, http: { response: { status: 500 } } });
    // Segment id = the server span id (one request, one id in both consoles).
    const server = local.spans({ traceId: traffic.traced.traceId }).find((s) => s.kindName === 'SERVER');
    expect(failing?.id).toBe(server?.spanId);
  });

  it('cloudwatch logs: one access line per request in group cruddur, and the home handler line', () => {
    const events = local.logEvents({ group: demo.LOG_GROUP });
    expect(events.filter((e) => demo.isAccessLine(e.message))).toHaveLength(total());
    expect(events.some((e) => e.message.includes('Hello Cloudwatch! from /api/activities/home'))).toBe(true);
    expect(
      events.some(
        (e) => e.message.includes(traffic.traced.traceId) && e.message.includes(traffic.traced.xrayTraceId),
      ),
    ).toBe(true);
  });

  it('rollbar: the test message and the failing request, with its trace id', () => {
    const warning = local.items({ level: 'warning' });
    expect(warning.map((i) => (i.data.body as { message?: { body?: string } }).message?.body)).toContain(
      'Hello World!',
    );
    const errors = local.items({ level: 'error' });
    expect(errors).toHaveLength(1);
    const text = JSON.stringify(errors[0]!.payload);
    expect(text).toContain('Deliberate failure from /rollbar/error');
    expect(text).toContain(traffic.traced.traceId);
    expect(errors[0]!.data.environment).toBe('production');
  });

  it('@sightline/local rejected nothing (but the first put to a new stream, which creates it)', () => {
    expect(local.rejections().filter((r) => r.reason !== 'ResourceNotFoundException')).toEqual([]);
  });
});
