// docs/cwlogs.md, "The logger".
import { createCloudWatchLogs, resolveCloudWatchLogsConfig } from '@sightline/cwlogs';

const logs = createCloudWatchLogs(
  resolveCloudWatchLogsConfig({ logGroupName: 'cruddur' }, process.env).config,
);
const trace_id = '6b09dea6321888c428b0b1135580fd1a';
const err = new Error('card declined', { cause: new Error('502 from the payment provider') });

const logger = logs.createLogger({ level: 'info', format: 'json', contextFields: () => ({ trace_id }) });
logger.info('%s %s %s', 'a', 'b', 'c', { fields: 'last plain object' });
logger.error('payment failed', err); // Error → `err` with name, message, stack and cause
const child = logger.child({ component: 'home' });
logger.level = 'debug'; // children share the threshold

child.debug('written: the child follows the parent to debug');
