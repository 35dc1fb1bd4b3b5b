import type { Options } from 'tsup';

// The demo needs only JavaScript: `SIGHTLINE_BUILD_DTS=0` skips the declaration files, which are most
// of the build's time. The test command always builds them (typecheck, publint and attw need them).
const withTypes = process.env.SIGHTLINE_BUILD_DTS !== '0';

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
  };
}
