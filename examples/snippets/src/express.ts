import { initObservability } from '@sightline/observability';
import express from 'express';

const obs = initObservability({ serviceName: 'backend-flask' }); // or the usual env variables only

const app = express();
app.use(obs.express()); // segment, route names, access log, errors to Rollbar, trace headers

app.get('/api/activities/home', async (_req, res) => {
  const data = await obs.span('home-activities-mock-data', async (span) => {
    span.setAttribute('app.now', new Date().toISOString());
    return [{ uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee' }];
  });
  obs.logger.info('Hello Cloudwatch! from /api/activities/home');
  res.json(data);
});

app.listen(4567); // SIGTERM flushes all four backends, then the process exits as usual
