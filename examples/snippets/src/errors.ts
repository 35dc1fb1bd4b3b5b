import { initObservability } from '@sightline/observability';
import express, { type NextFunction, type Request, type Response } from 'express';

const obs = initObservability({ serviceName: 'backend-flask', errors: { environment: 'production' } });

const app = express();
app.use(obs.express());

app.get('/rollbar/test', (_req, res) => {
  obs.errors.message('Hello World!', 'warning'); // as Cruddur's /rollbar/test did
  res.send('Hello World!');
});

app.get('/api/fails', async () => {
  throw new Error('reported to Rollbar with the trace ids, then handled by Express as usual');
});

// Your own error handler still runs, after Sightline has reported the error.
app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  res.status(500).json({ error: err.message });
});
