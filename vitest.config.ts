import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Tests import workspace packages from source, so a change is tested without a rebuild.
// Child-process fixtures run the built dist (the test command builds first).
export default defineConfig({
  resolve: {
    alias: [
      // Subpath entries (`@sightline/tracing/config`…) map to the source file of the same name.
      {
        find: /^@sightline\/(tracing|xray|cwlogs|errors)\/config$/,
        replacement: fileURLToPath(new URL('./packages/$1/src/config.ts', import.meta.url)),
      },
      { find: /^@sightline\/core$/, replacement: pkg('core') },
      { find: /^@sightline\/local$/, replacement: pkg('local') },
      { find: /^@sightline\/tracing$/, replacement: pkg('tracing') },
      { find: /^@sightline\/xray$/, replacement: pkg('xray') },
      { find: /^@sightline\/cwlogs$/, replacement: pkg('cwlogs') },
      { find: /^@sightline\/errors$/, replacement: pkg('errors') },
      { find: /^@sightline\/observability$/, replacement: pkg('observability') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
