// docs/tracing.md, "Use".
const loadActivities = async () => [{ uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee', handle: 'andrewbrown' }];

import {
  getActiveTraceIds,
  resolveTracingConfig,
  setHttpRoute,
  startTracing,
  withSpan,
} from '@sightline/tracing';

const { config, problems, warnings } = resolveTracingConfig({ serviceName: 'backend-flask' }, process.env);
const tracing = startTracing(config); // registers provider, context, propagator, instrumentations
console.log(tracing.describe()); // one line, secrets masked

// The Cruddur custom span: tracer "home.activities", span "home-activities-mock-data".
const results = await withSpan(
  'home-activities-mock-data',
  async (span) => {
    span.setAttribute('app.now', new Date().toISOString());
    const results = await loadActivities();
    span.setAttribute('app.result_length', results.length);
    return results;
  },
  { tracer: tracing.tracer('home.activities') },
);

getActiveTraceIds(); // { traceId: '6b09dea6…', spanId: '…', xrayTraceId: '1-6b09dea6-…' } inside a span
setHttpRoute('/api/activities/@:handle'); // names the server span "GET /api/activities/@:handle"

await tracing.shutdown(5000); // { sent, dropped: { reason: n }, pending }

// What the resolver found: invalid options (the facade throws them) and invalid variables (warned).
for (const problem of problems) console.error(`${problem.path}: expected ${problem.expected}`);
for (const warning of warnings) console.warn(warning.message);
console.log(`${results.length} activities`);
