// docs/cwlogs.md, "Set-up": the backend on its own.
import { createCloudWatchLogs, resolveCloudWatchLogsConfig } from '@sightline/cwlogs';

const { config, problems, warnings } = resolveCloudWatchLogsConfig({ logGroupName: 'cruddur' }, process.env, {
  serviceName: 'backend-flask',
});
const logs = createCloudWatchLogs(config);
const logger = logs.createLogger({ console: true }); // mirror to stdout, as the Python console handler did
logger.info('user signed in', { user: 'andrewbrown' });
await logs.shutdown(10_000); // { sent, dropped: { reason: n }, pending }

// What the resolver found: invalid options (the facade throws them) and invalid variables (warned).
for (const problem of problems) console.error(`${problem.path}: expected ${problem.expected}`);
for (const warning of warnings) console.warn(warning.message);
