import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { defineConfig, type Options } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// Start-up time is most of what tracing costs a service that restarts often, and most of that was
// Node resolving, reading and compiling a few hundred small files of the OpenTelemetry SDK. So the
// SDK is bundled into one CommonJS file, `dist/index.cjs` (it loads in about half the time), and
// every other entry uses that one file:
// - the ESM entry re-exports it, so ESM and CommonJS importers share one SDK and one state;
// - `register` imports it instead of carrying a copy of its own.
// Not bundled: `@opentelemetry/api` (a peer dependency: the application and its instrumentations
// must share one), the OTLP exporter (loaded lazily, at the first export), and `@sightline/core`.
type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const NOT_BUNDLED = /^(?!@opentelemetry\/api$|@opentelemetry\/exporter-trace-otlp-proto$|@sightline\/)/;

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

/**
 * The http and undici instrumentations are CommonJS: each `require`s all of `@opentelemetry/core` and
 * `@opentelemetry/semantic-conventions` (200 KB of constants), which a bundler cannot tree-shake. This
 * gives each such `require` a small ES module exporting only the names that file reads (TypeScript's
 * CommonJS output reads them as `<local>.<name>`), from the packages' ES builds, which do shake. A file
 * that uses the module any other way gets it whole; a name the package lacks fails the build.
 */
const SHAKEN = /^@opentelemetry\/(core|semantic-conventions)$/;
const shakeRequires: EsbuildPlugin = {
  name: 'shake-requires',
  setup(build) {
    build.onResolve({ filter: SHAKEN }, (args) => {
      if (args.kind !== 'require-call' || args.namespace === 'used-names') return undefined;
      const names = namesRead(readFileSync(args.importer, 'utf8'), args.path);
      if (names === undefined) return undefined;
      return {
        path: `${args.path}?from=${args.importer}`,
        namespace: 'used-names',
        pluginData: { module: args.path, names, resolveDir: dirname(args.importer) },
      };
    });
    build.onLoad({ filter: /.*/, namespace: 'used-names' }, ({ pluginData }) => ({
      contents: `export { ${pluginData.names.join(', ')} } from '${pluginData.module}';`,
      resolveDir: pluginData.resolveDir,
      loader: 'js',
    }));
  },
};

/** The names `source` reads from `require(module)`, or undefined when it uses the module otherwise. */
function namesRead(source: string, module: string): string[] | undefined {
  const quoted = JSON.stringify(module);
  const binding = new RegExp(
    `(?:const|let|var)\\s+(\\w+)\\s*=\\s*require\\(${quoted.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)`,
  ).exec(source)?.[1];
  if (binding === undefined) return undefined;
  const uses = source.match(new RegExp(`\\b${binding}\\b`, 'g'))?.length ?? 0;
  const reads = [...source.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))].map((m) => m[1] as string);
  return uses === reads.length + 1 ? [...new Set(reads)] : undefined;
}

export default defineConfig([
  {
    ...packageBuild({ index: 'src/index.ts', config: 'src/config.ts', register: 'src/register.ts' }),
    noExternal: [NOT_BUNDLED],
    esbuildPlugins: [useTheOneBundle, shakeRequires],
    // `shims` gives the CommonJS build an `import.meta.url`: startTracing.ts loads the OTLP exporter lazily.
    shims: true,
  },
]);
