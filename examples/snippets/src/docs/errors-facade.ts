// docs/errors.md, "Set-up": Rollbar through the facade (ROLLBAR_ACCESS_TOKEN turns it on).
import { initObservability } from '@sightline/observability';
import express from 'express';

const app = express();

const obs = initObservability({ errors: { codeVersion: process.env.GIT_SHA } });
app.get('/rollbar/test', (_req, res) => {
  obs.errors.message('Hello World!', 'warning');
  res.send('Hello World!');
});
