// app.py's routes. Each handler reads the request, calls its service, and answers as the original
// did: 422 with the bare list of error codes, else 200 with the data.
import express, { type ErrorRequestHandler, type Express, type Response } from 'express';
import { apiCors } from './cors.js';
import { CURRENT_USER, type ServiceResult } from './lib/model.js';
import { stringField } from './lib/text.js';
import type { Observability } from './observability.js';
import { createActivity } from './services/create_activity.js';
import { createMessage } from './services/create_message.js';
import { createReply } from './services/create_reply.js';
import { homeActivities } from './services/home_activities.js';
import { messageGroups } from './services/message_groups.js';
import { messages } from './services/messages.js';
import { notificationsActivities } from './services/notifications_activities.js';
import { searchActivities } from './services/search_activities.js';
import { showActivity } from './services/show_activity.js';
import { userActivities } from './services/user_activities.js';

function sendModel<T>(res: Response, model: ServiceResult<T>): void {
  if (model.errors !== null) res.status(422).json(model.errors);
  else res.status(200).json(model.data);
}

/** The error a request ends with when the body is not JSON (express.json's 400) or a handler throws (500). */
const errorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
  res.status(status).json({ error: status === 500 ? 'internal_server_error' : 'bad_request' });
};

/** The Cruddur API. `env` supplies FRONTEND_URL and BACKEND_URL (CORS). */
export function createApp(obs: Observability, env: NodeJS.ProcessEnv = process.env): Express {
  const app = express();
  app.disable('x-powered-by');
  // First: the server span, the X-Ray segment, the access-log line and error reporting for every request.
  app.use(obs.express());
  app.use('/api', apiCors(env));
  app.use(express.json());

  app.get('/api/health-check', (_req, res) => {
    res.json({ success: true, ver: 1 });
  });

  app.get('/api/message_groups', (_req, res) => void res.json(messageGroups(CURRENT_USER.handle)));
  app.get('/api/messages/@:handle', (req, res) => {
    res.json(messages(CURRENT_USER.handle, req.params.handle));
  });
  app.post('/api/messages', (req, res) => {
    const body: unknown = req.body;
    sendModel(
      res,
      createMessage(
        stringField(body, 'message'),
        CURRENT_USER.handle,
        stringField(body, 'user_receiver_handle'),
      ),
    );
  });

  app.get(
    '/api/activities/home',
    obs.capture('activities_home', (_req: express.Request, res: express.Response) => {
      res.json(homeActivities());
    }),
  );
  app.get('/api/activities/notifications', (_req, res) => {
    res.json(notificationsActivities());
  });
  app.get(
    '/api/activities/search',
    (req, res) =>
      void sendModel(res, searchActivities(typeof req.query.term === 'string' ? req.query.term : undefined)),
  );
  app.get(
    '/api/activities/@:handle',
    obs.capture('activities_users', (req: express.Request<{ handle: string }>, res: express.Response) => {
      sendModel(res, userActivities(req.params.handle));
    }),
  );
  app.post('/api/activities', (req, res) => {
    const body: unknown = req.body;
    sendModel(
      res,
      createActivity(stringField(body, 'message'), CURRENT_USER.handle, stringField(body, 'ttl')),
    );
  });
  app.get(
    '/api/activities/:activity_uuid',
    obs.capture(
      'activities_show',
      (req: express.Request<{ activity_uuid: string }>, res: express.Response) => {
        res.json(showActivity(req.params.activity_uuid));
      },
    ),
  );
  app.post('/api/activities/:activity_uuid/reply', (req, res) => {
    sendModel(
      res,
      createReply(stringField(req.body, 'message'), CURRENT_USER.handle, req.params.activity_uuid),
    );
  });

  app.get('/rollbar/test', (_req, res) => {
    obs.errors.message('Hello World!', 'warning');
    res.send('Hello World!');
  });
  // Not in the original: a request that fails on purpose (an async handler rejecting), so the demo and
  // a new deployment can check the whole error path (500, span ERROR, X-Ray fault, Rollbar item).
  app.get('/rollbar/error', async () => {
    await Promise.resolve();
    throw new Error('Deliberate failure from /rollbar/error');
  });

  app.use(errorHandler);
  return app;
}
