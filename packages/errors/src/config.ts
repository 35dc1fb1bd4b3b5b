// The `@sightline/errors/config` entry: the resolver alone, without the rollbar package, so a facade
// can decide whether error reporting is on before loading it.
export { resolveErrorsConfig } from './resolveConfig';
export type { ErrorsOptions, ResolvedErrorsConfig } from './types';
