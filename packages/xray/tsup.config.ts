import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// shims: `import.meta.url` in the CJS build, for the centralized sampler's lazy require of the SDK.
export default defineConfig({
  ...packageBuild({ index: 'src/index.ts', config: 'src/config.ts' }),
  shims: true,
});
