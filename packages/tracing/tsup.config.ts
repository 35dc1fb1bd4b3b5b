import { defineConfig, type Options } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// Start-up time is most of what tracing costs a service that restarts often, and most of that was
// Node resolving, reading and compiling a few hundred small files of the OpenTelemetry SDK. So the
// SDK is bundled into one CommonJS file, `dist/index.cjs` (it loads in about half the time), and
// every other entry uses that one file:
// - the ESM entry re-exports it, so ESM and CommonJS importers share one SDK and one state;
// - `register` imports it instead of carrying a copy of its own.
// Not bundled: `@opentelemetry/api` (a peer dependency: the application and its instrumentations
// must share one) and `@sightline/core`. The OTLP serializer and transport are our own
// (otlpProtobuf.ts, otlpHttpTransport.ts): no OpenTelemetry exporter package is used at run time.
type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];
type TsupPlugin = NonNullable<Options['plugins']>[number];

/**
 * The bundled SDK's Tracer imports the API as a namespace (`import * as api`), which esbuild wraps in
 * `__toESM`: a copy whose every property is one shared getter, `() => from[key]`. Each `api.context`,
 * `api.trace`… in `startSpan` then paid a getter call and a megamorphic lookup, on every span. The
 * API's CommonJS exports object already has every name, so the bundle uses it as it is.
 */
const API_NAMESPACE = '__toESM(require("@opentelemetry/api"))';
const plainApiNamespace: TsupPlugin = {
  name: 'plain-api-namespace',
  renderChunk(code) {
    if (this.format !== 'cjs' || !code.includes(API_NAMESPACE)) return undefined;
    return { code: code.replaceAll(API_NAMESPACE, 'require("@opentelemetry/api")') };
  },
};

const NOT_BUNDLED = /^(?!@opentelemetry\/api$|@sightline\/)/;

/** `import … from './index.cjs'` for what `register` and the ESM entry would otherwise rebuild. */
const useTheOneBundle: EsbuildPlugin = {
  name: 'use-the-one-bundle',
  setup(build) {
    const esm = build.initialOptions.format === 'esm';
    build.onResolve({ filter: /^\.\/(startTracing|resolveConfig)$/ }, (args) =>
      args.importer.endsWith('register.ts') ? { path: './index.cjs', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\/index\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /src[\\/]index\.ts$/ }, () =>
      esm ? { contents: "export * from './index.cjs';", loader: 'ts' } : undefined,
    );
  },
};

export default defineConfig([
  {
    ...packageBuild({ index: 'src/index.ts', config: 'src/config.ts', register: 'src/register.ts' }),
    noExternal: [NOT_BUNDLED],
    esbuildPlugins: [useTheOneBundle],
    plugins: [plainApiNamespace],
  },
]);
