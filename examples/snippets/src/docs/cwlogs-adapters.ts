// docs/cwlogs.md, "pino and winston".
import pino from 'pino';
import winston from 'winston';

// pino: the transport runs in pino's worker thread
const pinoLogger = pino(
  pino.transport({ target: '@sightline/cwlogs/pino', options: { logGroupName: 'cruddur' } }),
);

// winston: its format decides the line; JSON lines are redacted by field name
import { SightlineCloudWatchTransport } from '@sightline/cwlogs/winston';

const winstonLogger = winston.createLogger({
  format: winston.format.json(),
  transports: [new SightlineCloudWatchTransport({ logGroupName: 'cruddur' })],
});

pinoLogger.info({ user: 'andrewbrown' }, 'signed in');
winstonLogger.info('signed in', { user: 'andrewbrown' });
