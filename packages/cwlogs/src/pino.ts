import { defaultRedactionPolicy, diagnostics, redactValue } from '@sightline/core';
import build from 'pino-abstract-transport';
import { createCloudWatchLogs } from './backend';
import type { CloudWatchLogsOptions } from './options';
import { resolveCloudWatchLogsConfig } from './resolveConfig';

/** Options of the pino transport target (serializable: they travel to pino's worker thread). */
export type PinoCloudWatchOptions = Omit<CloudWatchLogsOptions, 'sender'> & {
  /** Service name for the stream template. Default `OTEL_SERVICE_NAME`. */
  serviceName?: string;
};

/**
 * pino transport target: `pino.transport({ target: '@sightline/cwlogs/pino', options: { logGroupName } })`.
 * Each pino line (fields redacted with the default policy) becomes one CloudWatch event with pino's
 * `time`; the batcher's guarantees apply. Closing the transport (`logger.flush()` + end) drains it.
 */
export default async function pinoCloudWatchTransport(options: PinoCloudWatchOptions = {}) {
  const env = process.env;
  const { config, problems, warnings } = resolveCloudWatchLogsConfig({ ...options, handleExit: false }, env, {
    serviceName: options.serviceName ?? env.OTEL_SERVICE_NAME,
  });
  const diag = diagnostics('cwlogs:pino');
  for (const w of warnings) diag.warn(w.message);
  for (const p of problems) diag.error(`${p.path}: expected ${p.expected}, received ${p.received}`);
  const backend = createCloudWatchLogs({ ...config, enabled: problems.length === 0 && config.enabled });
  if (!backend.enabled)
    diag.warnOnce('off', 'no valid log group configured: pino lines are dropped by this transport');
  return build(
    async (source) => {
      for await (const obj of source as AsyncIterable<Record<string, unknown>>) {
        const time = typeof obj.time === 'number' ? obj.time : Date.now();
        backend.put({ message: JSON.stringify(redactValue(obj, defaultRedactionPolicy)), timestamp: time });
      }
    },
    {
      close: async () => {
        await backend.shutdown(10_000);
      },
    },
  );
}
