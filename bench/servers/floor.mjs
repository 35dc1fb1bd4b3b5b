// The least that the benchmark's telemetry can cost its server, whatever SDK does it: what the four
// protocols themselves ask for per request, done by the plainest code, with nothing of an SDK around it.
//   datagram  bare Express plus one X-Ray segment document per request, as one UDP datagram (the
//             daemon's protocol: one document per datagram), sent in setImmediate bursts like
//             @sightline/xray's emitter;
//   floor     that, plus an AsyncLocalStorage store through each request (every tracer keeps one), the
//             request's ids from a pool of random bytes, two spans' share of an OTLP/protobuf export
//             every 256 requests (a 512-span body encoded once at start-up, so no per-span encoding),
//             and one access-log line per request in PutLogEvents calls (JSON, SHA-256 of the body and
//             an HMAC as SigV4 signs it) per megabyte or 10,000 events, and at least once a minute (as
//             @sightline/cwlogs batches by default).
// No spans, segments or log records are built as objects, nothing is redacted or sampled: what is left
// between this and Sightline is the SDKs' own work.
//   floor:cwlogs, floor:xray, floor:cwlogs+xray  the floor with one part done by Sightline's own package
//             instead (its CloudWatch Logs logger writing the access-log line; its X-Ray request segment,
//             the handler's subsegment and its emitter, the segment's context in place of the plain
//             store): what that package costs over the plainest code doing the same protocol work.
//   floor:logger, floor:segments  half of such a swap: Sightline's logger writing the lines into the
//             plain PutLogEvents batches; Sightline's X-Ray documents sent by the plain datagram sender.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, createHmac, randomFillSync } from 'node:crypto';
import { createSocket } from 'node:dgram';
import http from 'node:http';

const HEADER = Buffer.from('{"format":"json","version":1}\n');
const SPANS_PER_EXPORT = 512;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/**
 * The `datagram` or `floor` work for each request: an Express middleware, and `work` for the handler's
 * own unit of work (a subsegment when Sightline's X-Ray does the segments). `swaps` names the parts done
 * by Sightline's packages: `cwlogs` (logger and batches), `logger`, `xray` (segments and emitter),
 * `segments`.
 */
export async function floorApp(kind, swaps = []) {
  const full = kind === 'floor';
  const ownEmitter = swaps.includes('xray');
  const sendDocument = ownEmitter ? undefined : await xraySender(process.env.AWS_XRAY_DAEMON_ADDRESS);
  const xray =
    ownEmitter || swaps.includes('segments')
      ? await sightlineXRay(sendDocument && plainSink(sendDocument))
      : undefined;
  const ownBatches = swaps.includes('cwlogs');
  const addSpans = full ? await otlpExporter(process.env.OTEL_EXPORTER_OTLP_ENDPOINT) : () => {};
  const addLine =
    full && !ownBatches ? await logsSender(process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) : () => {};
  const cwlogs =
    ownBatches || swaps.includes('logger')
      ? await sightlineLogger(ownBatches ? undefined : (record) => addLine(record.line))
      : undefined;
  const storage = new AsyncLocalStorage();

  function onClose(req, res, ids, segment) {
    const end = Date.now() / 1000;
    const contentLength = Number(res.getHeader('content-length'));
    if (segment) segment.close({ statusCode: res.statusCode, contentLength });
    else {
      sendDocument(
        JSON.stringify({
          trace_id: ids.xrayTraceId,
          id: ids.spanId,
          start_time: ids.start,
          name: 'bench',
          aws: { xray: { sdk: 'floor', sdk_version: '0.0.0' } },
          http: {
            request: {
              method: req.method,
              url: `http://${req.headers.host}${req.url}`,
              client_ip: req.socket.remoteAddress,
              user_agent: req.headers['user-agent'],
            },
            response: { status: res.statusCode, content_length: contentLength },
          },
          end_time: end,
          subsegments: [
            { id: ids.childId, name: 'home-activities-mock-data', start_time: ids.start, end_time: end },
          ],
        }),
      );
    }
    if (!full) return;
    addSpans(2);
    const traceFields = { trace_id: ids.traceId, xray_trace_id: ids.xrayTraceId, span_id: ids.spanId };
    const fields = {
      http: {
        method: req.method,
        path: req.url,
        status: res.statusCode,
        duration_ms: end * 1000 - ids.start * 1000,
        client_ip: req.socket.remoteAddress,
        user_agent: req.headers['user-agent'],
        response_bytes: contentLength,
      },
    };
    if (cwlogs) {
      // As the facade does: the ids come from the logger's context hook, the rest are the call's fields.
      lineIds = traceFields;
      cwlogs.info('request', fields);
      lineIds = undefined;
    } else
      addLine(
        JSON.stringify({
          timestamp: new Date().toISOString(),
          level: 'info',
          message: 'request',
          ...traceFields,
          ...fields,
        }),
      );
  }

  const middleware = (req, res, next) => {
    const traceId = randomHex(16);
    const ids = {
      traceId,
      xrayTraceId: `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`,
      spanId: randomHex(8),
      childId: randomHex(8),
      start: Date.now() / 1000,
    };
    const segment = xray?.openRequestSegment(
      { method: req.method, url: req.url, headers: req.headers, remoteAddress: req.socket.remoteAddress },
      { traceId: ids.xrayTraceId, id: ids.spanId },
    );
    res.on('close', () => onClose(req, res, ids, segment));
    if (segment) segment.run(next);
    else if (full) storage.run(ids, next);
    else next();
  };
  const work = xray ? (fn) => xray.subsegment('home-activities-mock-data', fn) : (fn) => fn();
  return { middleware, work };
}

/**
 * Sightline's X-Ray backend, everything sampled, as the benchmark's Sightline variant configures it;
 * its documents go to `sink` when given instead of its own UDP emitter.
 */
async function sightlineXRay(sink) {
  const { createXRay, resolveXRayConfig } = await import('@sightline/xray');
  const rules = { version: 2, rules: [], default: { fixed_target: 0, rate: 1 } };
  const { config } = resolveXRayConfig({ samplingRules: rules }, process.env, { serviceName: 'bench' });
  return createXRay(config, sink ? { sink } : {});
}

/** @sightline/xray's document sink seam over the plain datagram sender. */
function plainSink(sendDocument) {
  let sent = 0;
  return {
    send(json) {
      sendDocument(json);
      sent++;
    },
    flush: async () => {},
    close: async () => {},
    stats: () => ({ sent, dropped: {}, pending: 0 }),
    drop() {},
  };
}

/**
 * A logger of Sightline's CloudWatch Logs backend (group and endpoint from the environment), no console;
 * with `sink`, the logger alone: its lines go there instead of to the backend's batches.
 */
async function sightlineLogger(sink) {
  const { createCloudWatchLogs, createLogger, resolveCloudWatchLogsConfig } = await import(
    '@sightline/cwlogs'
  );
  const options = { console: false, contextFields: () => lineIds };
  if (sink) return createLogger({ ...options, sink });
  return createCloudWatchLogs(resolveCloudWatchLogsConfig(undefined, process.env).config).createLogger(
    options,
  );
}

/** The trace ids of the line being written, for the logger's context hook. */
let lineIds;

const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function randomHex(bytes) {
  if (poolAt + bytes > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += bytes;
  return pool.toString('hex', poolAt - bytes, poolAt);
}

/** One datagram per document, on a connected socket, in a burst per event-loop turn. */
async function xraySender(address) {
  const [host, port] = address.split(':');
  const socket = createSocket('udp4');
  socket.unref();
  await new Promise((resolve) => socket.connect(Number(port), host, resolve));
  const queue = [];
  const drain = () => {
    for (const datagram of queue) socket.send(datagram);
    queue.length = 0;
  };
  return (json) => {
    const bytes = Buffer.byteLength(json);
    const datagram = Buffer.allocUnsafe(HEADER.length + bytes);
    HEADER.copy(datagram, 0);
    datagram.write(json, HEADER.length);
    if (queue.push(datagram) === 1) setImmediate(drain);
  };
}

/** A body of 512 spans like the benchmark's (256 requests: a server span and its child), posted per 512 ended. */
async function otlpExporter(endpoint) {
  const body = await encodedSpans(SPANS_PER_EXPORT / 2);
  const url = new URL('/v1/traces', endpoint);
  let ended = 0;
  return (spans) => {
    ended += spans;
    if (ended < SPANS_PER_EXPORT) return;
    ended = 0;
    post(url, { 'content-type': 'application/x-protobuf' }, body);
  };
}

/** `requests` server spans with their children, encoded by OpenTelemetry's own OTLP/protobuf exporter. */
async function encodedSpans(requests) {
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import(
    '@opentelemetry/sdk-trace-base'
  );
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  const { ROOT_CONTEXT, SpanKind, trace } = await import('@opentelemetry/api');
  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer(
    '@sightline/observability',
  );
  for (let i = 0; i < requests; i++) {
    const server = tracer.startSpan('GET /api/activities/home', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.scheme': 'http',
        'url.path': '/api/activities/home',
        'server.address': '127.0.0.1',
        'server.port': 3000,
        'network.peer.address': '127.0.0.1',
        'network.peer.port': 50000 + i,
        'network.protocol.version': '1.1',
        'client.address': '127.0.0.1',
        'http.route': '/api/activities/home',
        'http.response.status_code': 200,
      },
    });
    tracer.startSpan('home-activities-mock-data', {}, trace.setSpan(ROOT_CONTEXT, server)).end();
    server.end();
  }
  // The exporter posts to a capturing server of our own; its body is what every export sends.
  return new Promise((resolve, reject) => {
    const capture = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        res.end();
        capture.close();
        resolve(Buffer.concat(chunks));
      });
    });
    capture.listen(0, '127.0.0.1', () => {
      const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${capture.address().port}/v1/traces` });
      exporter.export(memory.getFinishedSpans(), (result) => result.error && reject(result.error));
    });
  });
}

/** Access-log lines in PutLogEvents calls: per 10,000 events or 1 MB, and at least once a minute. */
async function logsSender(endpoint) {
  const url = new URL('/', endpoint);
  const call = (target, params) => {
    const body = Buffer.from(JSON.stringify(params));
    return post(url, signedHeaders(target, body), body);
  };
  const group = { logGroupName: 'bench-floor' };
  const stream = { ...group, logStreamName: `floor-${process.pid}` };
  await call('CreateLogGroup', group);
  await call('CreateLogStream', stream);
  let events = [];
  let bytes = 0;
  const flush = () => {
    if (events.length === 0) return;
    call('PutLogEvents', { ...stream, logEvents: events });
    events = [];
    bytes = 0;
  };
  setInterval(flush, 60_000).unref();
  return (message) => {
    events.push({ timestamp: Date.now(), message });
    bytes += Buffer.byteLength(message) + 26;
    if (events.length >= 10_000 || bytes >= 1_000_000) flush();
  };
}

/** The headers of a SigV4-signed AWS JSON call: the body's SHA-256 and one HMAC over the request. */
function signedHeaders(target, body) {
  const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = date.slice(0, 8);
  const scope = `${day}/us-east-1/logs/aws4_request`;
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const canonical = `POST\n/\n\nx-amz-date:${date}\nx-amz-target:Logs_20140328.${target}\n\nx-amz-date;x-amz-target\n${bodyHash}`;
  const toSign = `AWS4-HMAC-SHA256\n${date}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const signature = createHmac('sha256', 'a derived signing key').update(toSign).digest('hex');
  return {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-date': date,
    'x-amz-target': `Logs_20140328.${target}`,
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/${scope}, SignedHeaders=x-amz-date;x-amz-target, Signature=${signature}`,
  };
}

function post(url, headers, body) {
  return new Promise((resolve) => {
    const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
      response.resume();
      response.on('end', resolve);
    });
    request.on('error', resolve);
    request.end(body);
  });
}
