import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiagnostics } from '@sightline/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HttpAnswer, HttpConnection } from '../src/httpConnection';
import { resolveTracingConfig, startTracing, type TracingBackend, withSpan } from '../src/index';
import { readTlsFiles } from '../src/tlsFiles';

// Certificates made for this run with openssl (nothing secret is kept in the repository): one for the
// collector on 127.0.0.1, self-signed, so Node's own CAs refuse it; one for a client, self-signed too.
let dir: string;
const file = (name: string) => join(dir, name);
function selfSigned(name: string, subject: string, extra: string[] = []): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.pem`),
      '-days',
      '1',
      '-subj',
      subject,
      ...extra,
    ],
    { stdio: 'ignore' },
  );
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sightline-tls-'));
  selfSigned('collector', '/CN=127.0.0.1', ['-addext', 'subjectAltName=IP:127.0.0.1']);
  selfSigned('client', '/CN=sightline-test-client');
});

/** An https collector on 127.0.0.1 that answers every POST with an empty OTLP success. */
async function collector(options: ServerOptions = {}): Promise<{ url: URL; bodies: Buffer[] }> {
  const bodies: Buffer[] = [];
  const server = createServer(
    { key: readFileSync(file('collector.key')), cert: readFileSync(file('collector.pem')), ...options },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 }).end();
      });
    },
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: new URL(`https://127.0.0.1:${port}/v1/traces`), bodies };
}

const servers: Server[] = [];
const connections: HttpConnection[] = [];
const backends: TracingBackend[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  while (backends.length > 0) await backends.pop()?.shutdown(2000);
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function post(url: URL, tls: ConstructorParameters<typeof HttpConnection>[2]) {
  const connection = new HttpConnection(url, { 'content-type': 'application/x-protobuf' }, tls);
  connections.push(connection);
  return new Promise<{ error?: NodeJS.ErrnoException; answer?: HttpAnswer }>((resolve) =>
    connection.post(Buffer.from('spans'), Date.now() + 3000, (error, answer) => resolve({ error, answer })),
  );
}

describe('HttpConnection over TLS', () => {
  it("refuses a collector's self-signed certificate unless told to trust it", async () => {
    const { url, bodies } = await collector();
    const refused = await post(url, {});
    expect(refused.answer).toBeUndefined();
    expect(refused.error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const trusted = await post(url, { ca: readFileSync(file('collector.pem')) });
    expect(trusted.error).toBeUndefined();
    expect(trusted.answer?.status).toBe(200);
    expect(bodies.map((b) => b.toString())).toEqual(['spans']);
  });

  it('presents a client certificate to a collector that asks for one (mutual TLS)', async () => {
    const { url, bodies } = await collector({
      requestCert: true,
      rejectUnauthorized: true,
      ca: readFileSync(file('client.pem')),
    });
    const ca = readFileSync(file('collector.pem'));
    const without = await post(url, { ca });
    expect(without.answer).toBeUndefined();
    expect(without.error).toBeDefined();
    const withCert = await post(url, {
      ca,
      cert: readFileSync(file('client.pem')),
      key: readFileSync(file('client.key')),
    });
    expect(withCert.answer?.status).toBe(200);
    expect(bodies).toHaveLength(1);
  });
});

describe('tracing with the OTLP TLS variables', () => {
  const start = (env: Record<string, string>, warnings: string[] = []) => {
    const { config, problems } = resolveTracingConfig({}, { OTEL_BSP_SCHEDULE_DELAY: '20', ...env });
    expect(problems).toEqual([]);
    const backend = startTracing(config, {
      diagnostics: createDiagnostics('tracing', { sink: (_level, message) => warnings.push(message) }),
    });
    backends.push(backend);
    return backend;
  };

  it('exports to an https collector whose CA OTEL_EXPORTER_OTLP_CERTIFICATE names', async () => {
    const { url, bodies } = await collector();
    const backend = start({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url.href,
      OTEL_EXPORTER_OTLP_CERTIFICATE: file('collector.pem'),
    });
    withSpan('over-tls', () => undefined);
    const report = await backend.forceFlush(3000);
    expect(report.sent).toBe(1);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.includes(Buffer.from('over-tls'))).toBe(true);
  });

  it('warns about a file it cannot read, exports without it, and counts the refused export', async () => {
    const { url, bodies } = await collector();
    const warnings: string[] = [];
    const backend = start(
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url.href,
        OTEL_EXPORTER_OTLP_CERTIFICATE: file('missing.pem'),
        OTEL_EXPORTER_OTLP_TIMEOUT: '500',
      },
      warnings,
    );
    expect(
      warnings.some((w) => w.includes(`could not read the OTLP certificate file ${file('missing.pem')}`)),
    ).toBe(true);
    withSpan('not-trusted', () => undefined);
    const report = await backend.forceFlush(3000);
    expect(report.sent).toBe(0);
    expect(Object.values(report.dropped).reduce((a, b) => a + b, 0)).toBe(1);
    expect(bodies).toEqual([]);
  });

  it('leaves out a client certificate without its key, and says so', () => {
    const warnings: string[] = [];
    const diag = createDiagnostics('tracing', { sink: (_level, message) => warnings.push(message) });
    const material = readTlsFiles(
      { certificate: undefined, clientCertificate: file('client.pem'), clientKey: undefined },
      diag,
    );
    expect(material).toEqual({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'an OTLP client certificate needs its key and the key its certificate; exporting without either',
    );
  });
});
