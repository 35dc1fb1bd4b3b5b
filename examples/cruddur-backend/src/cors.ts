import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * flask_cors as app.py set it up, on /api/* only: origins FRONTEND_URL and BACKEND_URL. An unset one is
 * ignored (the original passed None along and flask_cors crashed on it).
 */
export function apiCors(env: NodeJS.ProcessEnv): RequestHandler {
  const origins = [env.FRONTEND_URL, env.BACKEND_URL].filter((o): o is string => o !== undefined && o !== '');
  return cors({
    origin: origins,
    exposedHeaders: ['location', 'link'],
    allowedHeaders: ['content-type', 'if-modified-since'],
    methods: ['OPTIONS', 'GET', 'HEAD', 'POST'],
  });
}
