import type { ClientRequest, IncomingMessage } from 'node:http';
import type { TracerProvider } from '@opentelemetry/api';
import { enableClientSpans } from './clientSpans';
import { enableFetchSpans } from './fetchSpans';
import { enableServerSpans } from './serverSpans';
import { TRACER_NAME } from './spans';

/**
 * An incoming OTLP export (a collector running in this process, like `@sightline/local` in tests) is
 * not traced: its server span would be exported in turn, and so on forever.
 */
function isOtlpExport(request: IncomingMessage): boolean {
  const agent = request.headers['user-agent'];
  return typeof agent === 'string' && agent.includes('OTel-OTLP-Exporter-');
}

/**
 * Sightline's own deliveries to the other backends (CloudWatch Logs through the AWS SDK, Rollbar items)
 * are not traced: run from timers, they would show up as stray root traces, or as children of whatever
 * request scheduled the flush. Recognized by their protocol headers.
 */
export function isTelemetryDelivery(request: Pick<ClientRequest, 'getHeader'>): boolean {
  if (request.getHeader('x-rollbar-access-token') !== undefined) return true;
  const target = request.getHeader('x-amz-target');
  return typeof target === 'string' && target.startsWith('Logs_20140328.');
}

/**
 * Enables the chosen instrumentations for `provider`; returns the function that disables them again.
 * `propagationHeaders`: what the registered propagator reads, when it is ours (see `ServerSpanOptions`).
 */
export function enableInstrumentations(
  provider: TracerProvider,
  which: { http: boolean; undici: boolean },
  propagationHeaders?: readonly string[],
): () => void {
  const tracer = provider.getTracer(TRACER_NAME);
  const disables: (() => void)[] = [];
  if (which.http) {
    disables.push(enableServerSpans(tracer, { ignore: isOtlpExport, propagationHeaders }));
    disables.push(enableClientSpans(tracer, { ignore: isTelemetryDelivery }));
  }
  if (which.undici) disables.push(enableFetchSpans(tracer));
  return () => {
    for (const disable of disables) disable();
  };
}
