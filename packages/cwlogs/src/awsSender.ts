import type { CloudWatchLogsClient, CloudWatchLogsClientConfig } from '@aws-sdk/client-cloudwatch-logs';
import type { StaticCredentials } from './options';
import type { LogsSender, PutLogEventsResult, SendOptions } from './sender';

export interface AwsSenderOptions {
  region?: string;
  endpoint?: string;
  credentials?: StaticCredentials;
  /** The SDK's own attempts (it retries throttling and 5xx before we see them). */
  maxAttempts?: number;
}

// A logger that drops everything: the SDK must never log into us (no feedback loop).
const SILENT_LOGGER = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Build step, high priority: before the SDK's Content-Length middleware (build) and signing (finalizeRequest). */
const JSON_BODY = { step: 'build', priority: 'high', name: 'sightlineNativeJsonBody' } as const;

type Sdk = typeof import('@aws-sdk/client-cloudwatch-logs');

/**
 * The real sender. `@aws-sdk/client-cloudwatch-logs` is imported on the first call, so importing
 * `@sightline/cwlogs` for its logger alone never loads the SDK. Region, credentials and endpoint come
 * from the SDK's own chain (`AWS_REGION`, `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, `AWS_ENDPOINT_URL`,
 * profiles, instance roles) unless given.
 */
export function createAwsSender(options: AwsSenderOptions = {}): LogsSender {
  let loading: Promise<{ sdk: Sdk; client: CloudWatchLogsClient }> | undefined;
  let destroyed = false;
  const load = () => {
    loading ??= import('@aws-sdk/client-cloudwatch-logs').then((sdk) => {
      const config: CloudWatchLogsClientConfig = {
        logger: SILENT_LOGGER,
        maxAttempts: options.maxAttempts ?? 3,
      };
      if (options.region !== undefined) config.region = options.region;
      if (options.endpoint !== undefined) config.endpoint = options.endpoint;
      if (options.credentials !== undefined) config.credentials = options.credentials;
      const client = new sdk.CloudWatchLogsClient(config);
      if (destroyed) client.destroy();
      return { sdk, client };
    });
    return loading;
  };
  const opts = (o?: SendOptions) => (o?.signal ? { abortSignal: o.signal } : undefined);
  const sendPut = async (
    logGroupName: string,
    logStreamName: string,
    body: Buffer,
    o?: SendOptions,
  ): Promise<PutLogEventsResult> => {
    const { sdk, client } = await load();
    // The SDK serializes no events; the body is set before Content-Length and signing are computed.
    const command = new sdk.PutLogEventsCommand({ logGroupName, logStreamName, logEvents: [] });
    command.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { body?: unknown } | undefined;
        if (request && typeof request === 'object') request.body = body;
        return next(args);
      },
      JSON_BODY,
    );
    const out = await client.send(command, opts(o));
    return out.rejectedLogEventsInfo ? { rejectedLogEventsInfo: out.rejectedLogEventsInfo } : {};
  };
  return {
    putLogEvents(input, o): Promise<PutLogEventsResult> {
      // The SDK's serializer and its log filter walk every event in JS (a copy of each, strings escaped
      // char by char) on the thread that logs; native JSON.stringify writes the same body. It is made
      // before any await, so the events are not held here while the request is in flight.
      const { logGroupName, logStreamName } = input;
      const body = Buffer.from(JSON.stringify({ logGroupName, logStreamName, logEvents: input.logEvents }));
      return sendPut(logGroupName, logStreamName, body, o);
    },
    async createLogGroup(input, o) {
      const { sdk, client } = await load();
      await client.send(new sdk.CreateLogGroupCommand(input), opts(o));
    },
    async createLogStream(input, o) {
      const { sdk, client } = await load();
      await client.send(new sdk.CreateLogStreamCommand(input), opts(o));
    },
    async putRetentionPolicy(input, o) {
      const { sdk, client } = await load();
      await client.send(new sdk.PutRetentionPolicyCommand(input), opts(o));
    },
    destroy() {
      destroyed = true;
      if (loading)
        void loading.then(
          ({ client }) => client.destroy(),
          () => undefined,
        );
    },
  };
}
