// docs/cwlogs.md, "Set-up": the backend through the facade (SIGHTLINE_CWLOGS_GROUP turns it on).
import { initObservability } from '@sightline/observability';

const obs = initObservability();
obs.logger.info('Hello Cloudwatch! from %s', '/api/activities/home');
