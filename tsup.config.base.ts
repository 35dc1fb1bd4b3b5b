import type { Options } from 'tsup';

// The demo needs only JavaScript: `SIGHTLINE_BUILD_DTS=0` skips the declaration files, which are most
// of the build's time. The test command always builds them (typecheck, publint and attw need them).
const withTypes = process.env.SIGHTLINE_BUILD_DTS !== '0';

/**
 * Appended to every CommonJS build: its exports become plain properties. esbuild defines each export
 * as a getter, and all of them share one getter function, `() => from[key]`, whose keyed load turns
 * megamorphic: every call from a CommonJS consumer (the tracing bundle calls `@sightline/core` on each
 * request) paid a getter call and a megamorphic lookup. The names stay visible to Node's ESM importers
 * through esbuild's `0 && (module.exports = {...})` annotation above.
 */
export const CJS_PLAIN_EXPORTS =
  'module.exports = Object.defineProperty({ ...module.exports }, "__esModule", { value: true });';

/** The one build every package uses: ESM + CJS + .d.ts, Node 20. */
export function packageBuild(entry: Record<string, string> | string[] = ['src/index.ts']): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: withTypes,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
    footer: ({ format }) => (format === 'cjs' ? { js: CJS_PLAIN_EXPORTS } : undefined),
  };
}
