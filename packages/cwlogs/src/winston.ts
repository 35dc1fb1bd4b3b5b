import { defaultRedactionPolicy, type RedactionPolicy, redactString, redactValue } from '@sightline/core';
import TransportStream from 'winston-transport';
import { type CloudWatchLogsBackend, createCloudWatchLogs } from './backend';
import type { CloudWatchLogsOptions } from './options';
import { resolveCloudWatchLogsConfig } from './resolveConfig';

const MESSAGE = Symbol.for('message');

export interface WinstonCloudWatchOptions extends CloudWatchLogsOptions {
  /** Use an existing backend (e.g. the facade's) instead of creating one from the other options. */
  backend?: CloudWatchLogsBackend;
  /** Redaction of the info object / formatted line. Default core's default policy. */
  redaction?: RedactionPolicy;
  /** winston level of this transport. Default: the logger's. */
  level?: string;
  /** Service name for the stream template. Default `OTEL_SERVICE_NAME`. */
  serviceName?: string;
}

/**
 * winston transport: `new winston.transports.Console(), new SightlineCloudWatchTransport({ logGroupName })`.
 * The line is winston's formatted message (its `format` decides the shape), redacted; the batcher's
 * guarantees apply. `close()` (called by `logger.close()`) drains under a 10 s deadline.
 */
export class SightlineCloudWatchTransport extends TransportStream {
  readonly backend: CloudWatchLogsBackend;
  private readonly policy: RedactionPolicy;

  constructor(options: WinstonCloudWatchOptions = {}) {
    super(options.level === undefined ? {} : { level: options.level });
    const { backend, redaction, level: _level, serviceName, ...rest } = options;
    this.policy = redaction ?? defaultRedactionPolicy;
    if (backend) this.backend = backend;
    else {
      // Invalid options are reported by the resolver's problems; here they only turn the transport off.
      const { config, problems } = resolveCloudWatchLogsConfig(rest, process.env, {
        serviceName: serviceName ?? process.env.OTEL_SERVICE_NAME,
      });
      this.backend = createCloudWatchLogs({ ...config, enabled: problems.length === 0 && config.enabled });
    }
  }

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    const formatted = info[MESSAGE];
    this.backend.put({ message: this.redact(typeof formatted === 'string' ? formatted : undefined, info) });
    callback();
  }

  /**
   * A JSON line (winston's `json` format) is parsed and its fields redacted by name; any other
   * formatted line is pattern-masked; without a format the info object itself is redacted.
   */
  private redact(formatted: string | undefined, info: Record<string | symbol, unknown>): string {
    if (formatted === undefined) return JSON.stringify(redactValue(info, this.policy));
    if (formatted.startsWith('{')) {
      try {
        return JSON.stringify(redactValue(JSON.parse(formatted), this.policy));
      } catch {
        // not JSON after all: mask patterns below
      }
    }
    return redactString(formatted, this.policy);
  }

  /** Resolves when everything logged so far is acknowledged or counted. */
  flush(): Promise<unknown> {
    return this.backend.flush();
  }

  override close(): void {
    void this.backend.shutdown(10_000).then(() => this.emit('closed'));
  }
}
