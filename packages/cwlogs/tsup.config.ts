import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

export default defineConfig(
  packageBuild({
    index: 'src/index.ts',
    config: 'src/config.ts',
    pino: 'src/pino.ts',
    winston: 'src/winston.ts',
  }),
);
