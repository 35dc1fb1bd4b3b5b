// The `@sightline/cwlogs/config` entry: the resolver alone, so a facade can decide whether CloudWatch
// Logs is on before loading the batcher.
export type { CloudWatchLogsOptions } from './options';
export type { ResolvedCloudWatchLogsConfig } from './resolveConfig';
export { resolveCloudWatchLogsConfig } from './resolveConfig';
