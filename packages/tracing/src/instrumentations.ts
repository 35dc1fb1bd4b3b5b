import type { IncomingMessage, RequestOptions } from 'node:http';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import type { TracerProvider } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
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
export function isTelemetryDelivery(options: RequestOptions): boolean {
  const headers = options.headers;
  if (headers === undefined || Array.isArray(headers)) return false;
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (key === 'x-rollbar-access-token') return true;
    if (key === 'x-amz-target' && String(value).startsWith('Logs_20140328.')) return true;
  }
  return false;
}

// One instance of each for the whole process. A new HttpInstrumentation cannot patch `http` a second
// time: require-in-the-middle reports a module to its hooks only on the first require. A kept instance
// re-patches the exports it saw when enabled again, so tracing can be started and stopped repeatedly.
let http: HttpInstrumentation | undefined;
let undici: UndiciInstrumentation | undefined;

/**
 * The http instrumentation patches `http`/`https` when they are next `require`d. An ESM service
 * imports them without `require`, so require them here once; then sync the ESM named exports so that
 * `import { request } from 'node:http'` sees the patched functions too.
 */
function patchBuiltinsNow(): void {
  // Any absolute path works as the base for resolving built-in modules.
  const req = createRequire(join(process.cwd(), 'sightline-tracing.cjs'));
  req('http');
  req('https');
  syncBuiltinESMExports();
}

/** Enables the chosen instrumentations for `provider`; returns the function that disables them again. */
export function enableInstrumentations(
  provider: TracerProvider,
  which: { http: boolean; undici: boolean },
): () => void {
  const enabled: { disable(): void }[] = [];
  if (which.http) {
    // Client spans only: server spans come from enableServerSpans, which costs a fraction of the
    // instrumentation's server side (see serverSpans.ts).
    http ??= new HttpInstrumentation({
      disableIncomingRequestInstrumentation: true,
      ignoreOutgoingRequestHook: isTelemetryDelivery,
    });
    http.setTracerProvider(provider);
    http.enable();
    enabled.push(http);
    enabled.push({ disable: enableServerSpans(provider.getTracer(TRACER_NAME), { ignore: isOtlpExport }) });
    patchBuiltinsNow();
  }
  if (which.undici) {
    // Constructed enabled: undici's instrumentation creates spans only when its *config* says enabled.
    undici ??= new UndiciInstrumentation();
    undici.setTracerProvider(provider);
    undici.enable();
    enabled.push(undici);
  }
  return () => {
    for (const instrumentation of enabled) instrumentation.disable();
    syncBuiltinESMExports();
  };
}
