// docs/cwlogs.md, "The logger": Cruddur's access-log line with `format: 'text'`.
import { createCloudWatchLogs, resolveCloudWatchLogsConfig } from '@sightline/cwlogs';
import type { Request, Response } from 'express';

const logs = createCloudWatchLogs(
  resolveCloudWatchLogsConfig({ logGroupName: 'cruddur' }, process.env).config,
);
const logger = logs.createLogger({ format: 'text' });
// The request just answered (type-checked stand-ins: in an app, an Express middleware's arguments).
declare const req: Request;
declare const res: Response;
const status = `${res.statusCode} ${res.statusMessage}`; // Flask's response.status: '200 OK'

import { accessLogTimestamp } from '@sightline/cwlogs';

logger.error(
  '%s %s %s %s %s %s',
  accessLogTimestamp(),
  req.ip,
  req.method,
  req.protocol,
  req.originalUrl,
  status,
);
// [2026-Nov-27 19:45] 127.0.0.1 GET http /api/activities/search?term=x 200 OK
