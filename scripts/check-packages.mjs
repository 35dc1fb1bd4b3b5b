// publint and @arethetypeswrong/cli on every package; fails when any package is wrong.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const packages = readdirSync(join(root, 'packages'));
let failures = 0;
for (const name of packages) {
  const dir = join(root, 'packages', name);
  for (const [tool, args] of [
    ['publint', ['--strict', '--pack', 'npm', dir]],
    ['attw', ['--pack', dir, '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    const res = spawnSync(tool, args, { cwd: root, encoding: 'utf8', shell: false, env: process.env });
    const ok = res.status === 0;
    if (!ok) failures++;
    console.log(`${ok ? '✓' : '✗'} ${tool} @sightline/${name}`);
    if (!ok) process.stdout.write(`${res.stdout}${res.stderr}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
