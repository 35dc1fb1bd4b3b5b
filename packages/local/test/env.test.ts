import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Local, startLocal } from '../src/index';

/** `local.env` is the whole configuration: the real clients need nothing else. */
describe('local.env', () => {
  let local: Local;
  beforeAll(async () => {
    local = await startLocal();
  });
  afterAll(async () => {
    await local.close();
  });

  it('uses the real variable names and loopback addresses', () => {
    const { ports } = local;
    expect(local.env).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.otlp}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${ports.xray}`,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: `http://127.0.0.1:${ports.cwlogs}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      ROLLBAR_ENDPOINT: `http://127.0.0.1:${ports.rollbar}/api/1/item/`,
    });
  });

  it('points an unconfigured OTLP exporter and CloudWatch client at local', async () => {
    for (const [name, value] of Object.entries(local.env)) vi.stubEnv(name, value);
    try {
      const provider = new BasicTracerProvider({
        spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter())],
      });
      provider.getTracer('t').startSpan('from-env').end();
      await provider.forceFlush();
      await local.waitFor(() => local.spans({ name: 'from-env' }).length === 1);
      await provider.shutdown();

      const client = new CloudWatchLogsClient({});
      await client.send(new CreateLogGroupCommand({ logGroupName: 'from-env' }));
      client.destroy();
      expect(local.logGroups().map((g) => g.name)).toEqual(['from-env']);
      const auth = local.requests({ backend: 'cwlogs' })[0]!.headers.authorization;
      expect(auth).toMatch(/^\*{4}[0-9a-f]{4}$/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
