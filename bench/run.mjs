// `pnpm bench` (or `npm run bench` at the root): runs every benchmark in this folder, one after another.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs') || f.endsWith('.bench.ts'))
  .filter((f) => !only || f.startsWith(only))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const args = file.endsWith('.ts') ? ['--import', 'tsx', join(dir, file)] : [join(dir, file)];
  const res = spawnSync(process.execPath, ['--expose-gc', ...args], { stdio: 'inherit', cwd: dir });
  if (res.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
