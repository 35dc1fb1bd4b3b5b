// The one set-up module (Python: the top of app.py). Everything telemetry-related the service does
// goes through `obs`; handlers and services import it from here.
//
// Configuration comes only from the environment the Python service used (OTEL_*, HONEYCOMB_API_KEY,
// AWS_XRAY_URL, AWS_XRAY_DAEMON_ADDRESS, AWS_*, ROLLBAR_ACCESS_TOKEN); what the Python code
// hard-coded is hard-coded here too. SIGHTLINE_DISABLED=true turns every backend off.
import { fileURLToPath } from 'node:url';
import { initObservability, type Observability } from '@sightline/observability';

export type { Observability } from '@sightline/observability';

/** The Cruddur sampling rule, in the console/CLI shape `aws xray create-sampling-rule` takes. */
export const SAMPLING_RULES_PATH = fileURLToPath(new URL('../aws/json/xray.json', import.meta.url));

export const obs: Observability = initObservability({
  // xray_recorder.configure(service='backend-flask'); OTEL_SERVICE_NAME=backend-flask in compose.
  serviceName: 'backend-flask',
  // watchtower.CloudWatchLogHandler(log_group='cruddur')
  cwlogs: { logGroupName: 'cruddur' },
  xray: { samplingRules: SAMPLING_RULES_PATH },
  // @app.after_request: '%s %s %s %s %s %s' % (timestamp, remote_addr, method, scheme, full_path, status)
  accessLog: { format: 'cruddur' },
  // LOGGER.addHandler(logging.StreamHandler())
  logger: { console: true },
});

/** LOGGER in app.py. */
export const logger = obs.logger;
