// The real vendor clients, pointed at a running `@sightline/local`.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import Rollbar from 'rollbar';
import type { Local } from '../src/index';

/** Obviously fake secrets. */
export const FAKE_HONEYCOMB_KEY = 'fake-honeycomb-key-abcd';
export const FAKE_ROLLBAR_TOKEN = 'fake-rollbar-token-wxyz';

type ExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

export function otlpProvider(local: Local, options: { gzip?: boolean; url?: string } = {}) {
  const exporter = new OTLPTraceExporter({
    url: options.url ?? `${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`,
    headers: { 'x-honeycomb-team': FAKE_HONEYCOMB_KEY },
    compression: (options.gzip ? 'gzip' : 'none') as ExporterConfig['compression'],
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'local-test', 'service.version': '1.2.3' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return provider;
}

export function cloudWatchClient(local: Local, attempts = 1): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    endpoint: local.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS,
    region: local.env.AWS_REGION,
    credentials: {
      accessKeyId: local.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY,
    },
    retryStrategy: new ConfiguredRetryStrategy(attempts, 0),
  });
}

export function rollbarClient(local: Local, options: { accessToken?: string } = {}): Rollbar {
  return new Rollbar({
    accessToken: options.accessToken ?? FAKE_ROLLBAR_TOKEN,
    endpoint: local.env.ROLLBAR_ENDPOINT,
    environment: 'test',
    captureUncaught: false,
    captureUnhandledRejections: false,
    // 'error' silences the client's "Successful api response" info lines.
    logLevel: 'error',
    verbose: false,
  });
}

export function waitRollbar(rollbar: Rollbar): Promise<void> {
  return new Promise((resolve) => rollbar.wait(() => resolve()));
}
