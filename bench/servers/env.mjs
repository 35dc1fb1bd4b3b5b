// The environment every request-overhead server runs with (the benchmark's and the profiler's): all
// four backends pointed at @sightline/local, nothing inherited from the shell but PATH.
export function serverEnv(localEnv) {
  return {
    PATH: process.env.PATH,
    ...localEnv,
    OTEL_SERVICE_NAME: 'bench',
    SIGHTLINE_CWLOGS_GROUP: 'bench',
    ROLLBAR_ACCESS_TOKEN: 'fake-bench-token-0000000000000',
    AWS_XRAY_URL: '*',
    SIGHTLINE_HANDLE_SIGNALS: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
