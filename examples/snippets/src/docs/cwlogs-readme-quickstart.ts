// packages/cwlogs/README.md
import { createCloudWatchLogs, resolveCloudWatchLogsConfig } from '@sightline/cwlogs';

const { config } = resolveCloudWatchLogsConfig({ logGroupName: 'cruddur' }, process.env, {
  serviceName: 'backend-flask',
});
const logs = createCloudWatchLogs(config);
logs.createLogger().info('Hello Cloudwatch! from %s', '/api/activities/home');
await logs.shutdown(10_000);
