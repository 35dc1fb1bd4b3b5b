export { buildLinks, fillTemplate } from './correlation';
export type { ErrorsBackend } from './errorsBackend';
export { createErrorReporter } from './reporter';
export {
  DEFAULT_ENDPOINT,
  DEFAULT_HONEYCOMB_TRACE_LINK,
  DEFAULT_XRAY_TRACE_LINK,
  ERRORS_DEFAULTS,
  resolveErrorsConfig,
} from './resolveConfig';
export { NON_ERROR_NAME } from './throwable';
export type {
  Correlation,
  ErrorsHooks,
  ErrorsOptions,
  GetCorrelation,
  LinkOptions,
  OnReported,
  PersonInfo,
  ReportContext,
  RequestInfo,
  ResolvedErrorsConfig,
  ResolvedLinks,
  RollbarLevel,
} from './types';
export { ROLLBAR_LEVELS } from './types';
