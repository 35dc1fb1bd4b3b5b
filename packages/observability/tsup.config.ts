import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// `shims` gives the CJS build an `import.meta.url`, which backends.ts needs to load backends lazily.
export default defineConfig({
  ...packageBuild({ index: 'src/index.ts', register: 'src/register.ts' }),
  shims: true,
});
