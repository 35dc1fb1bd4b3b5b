import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// `shims` gives the CJS build an `import.meta.url`: startTracing.ts loads the OTLP exporter lazily.
export default defineConfig({
  ...packageBuild({ index: 'src/index.ts', config: 'src/config.ts', register: 'src/register.ts' }),
  shims: true,
});
