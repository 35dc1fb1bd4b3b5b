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

/**
 * `sightline@OTEL_BSP_MAX_EXPORT_BATCH_SIZE=128+SIGHTLINE_CWLOGS_SEND_INTERVAL_MS=500`: a variant run
 * with those environment settings on top of `serverEnv`, to compare settings side by side.
 */
export function splitVariant(variant) {
  const [name, settings] = variant.split('@');
  const overrides = Object.fromEntries(
    (settings ?? '')
      .split('+')
      .filter(Boolean)
      .map((kv) => kv.split('=')),
  );
  return { name, overrides };
}
