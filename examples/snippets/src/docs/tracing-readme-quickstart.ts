// packages/tracing/README.md
import { resolveTracingConfig, startTracing, withSpan } from '@sightline/tracing';

const tracing = startTracing(resolveTracingConfig({ serviceName: 'backend-flask' }, process.env).config);
await withSpan(
  'home-activities-mock-data',
  async (span) => {
    span.setAttribute('app.result_length', 3);
  },
  { tracer: tracing.tracer('home.activities') },
);
await tracing.shutdown(5000); // { sent, dropped: { reason: n }, pending }
