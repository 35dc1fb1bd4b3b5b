import type { Options } from 'tsup';

/** The one build every package uses: ESM + CJS + .d.ts, Node 20. */
export function packageBuild(entry: Record<string, string> | string[] = ['src/index.ts']): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
  };
}
