#!/usr/bin/env node
// The README's two commands land here: `npm run demo` and `npm test`.
// Needs only Node 20 and npm: the pinned pnpm is bootstrapped into .tools/ when it is not on PATH.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

function run(cmd, args, { allowFail = false, quiet = false } = {}) {
  const started = Date.now();
  const res = spawnSync(cmd, args, { cwd: root, env, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (res.error) throw res.error;
  if (!quiet || res.status !== 0) console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (res.status !== 0 && !allowFail) {
    if (quiet) process.stderr.write(`${res.stdout ?? ''}${res.stderr ?? ''}`);
    console.error(`\n✗ ${cmd} ${args.join(' ')} exited with ${res.status}`);
    process.exit(res.status ?? 1);
  }
  return res;
}

/** Returns [command, prefixArgs] that run the pinned pnpm. */
function ensurePnpm() {
  const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env });
  if (onPath.status === 0 && onPath.stdout.trim() === PNPM_VERSION) return ['pnpm', []];
  // pnpm 12's package is a native-binary wrapper; bin/pnpm.mjs is its Node entry (the one Corepack uses).
  const local = join(root, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
  const localVersion = existsSync(local)
    ? spawnSync(process.execPath, [local, '--version'], { encoding: 'utf8' })
    : null;
  if (localVersion?.status !== 0 || localVersion.stdout.trim() !== PNPM_VERSION) {
    console.log(`› bootstrapping pnpm ${PNPM_VERSION} into .tools/ (no global install)`);
    rmSync(join(root, '.tools'), { recursive: true, force: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // Retried once: a registry hiccup on a fresh machine should not fail the first run.
    for (let attempt = 1; attempt <= 2; attempt++) {
      const res = run(
        npm,
        [
          'install',
          '--prefix',
          '.tools',
          '--no-save',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          `pnpm@${PNPM_VERSION}`,
        ],
        { allowFail: attempt < 2 },
      );
      if (res.status === 0) break;
    }
  }
  // Scripts and tools that call `pnpm` themselves find the bootstrapped one.
  env.PATH = `${join(root, '.tools', 'node_modules', '.bin')}${delimiter}${env.PATH ?? ''}`;
  return [process.execPath, [local]];
}

const [pnpmCmd, pnpmPrefix] = ensurePnpm();
const pnpm = (args, opts) => run(pnpmCmd, [...pnpmPrefix, ...args], opts);

function install() {
  console.log('› installing dependencies (frozen lockfile)');
  const ciEnv = env.CI;
  env.CI = 'true';
  pnpm(['install', '--frozen-lockfile', '--reporter=silent']);
  if (ciEnv === undefined) delete env.CI;
  else env.CI = ciEnv;
}

/** A hash of everything the package builds depend on; an unchanged tree is not built twice. */
function sourceHash() {
  const hash = createHash('sha256');
  const add = (file) => {
    hash.update(file);
    hash.update(readFileSync(file));
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else add(path);
    }
  };
  for (const file of ['pnpm-lock.yaml', 'tsup.config.base.ts', 'tsconfig.base.json']) add(join(root, file));
  for (const pkg of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', pkg);
    for (const file of ['package.json', 'tsup.config.ts', 'tsconfig.json']) add(join(dir, file));
    walk(join(dir, 'src'));
  }
  return hash.digest('hex');
}

function build({ types }) {
  const stamp = join(root, 'node_modules', '.sightline-build');
  // A build with declaration files serves both commands; one without serves only the demo.
  const hash = sourceHash();
  const stamped = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
  const built = readdirSync(join(root, 'packages')).every((pkg) =>
    existsSync(join(root, 'packages', pkg, 'dist')),
  );
  if (built && (stamped === `${hash} types` || (!types && stamped === `${hash} js`))) {
    console.log('› packages already built from these sources');
    return;
  }
  console.log(`› building packages${types ? '' : ' (JavaScript only: the demo needs no type declarations)'}`);
  const buildEnv = env.SIGHTLINE_BUILD_DTS;
  env.SIGHTLINE_BUILD_DTS = types ? '1' : '0';
  pnpm(['-r', '--filter', './packages/*', '--workspace-concurrency=2', 'run', 'build'], { quiet: true });
  if (buildEnv === undefined) delete env.SIGHTLINE_BUILD_DTS;
  else env.SIGHTLINE_BUILD_DTS = buildEnv;
  writeFileSync(stamp, `${hash} ${types ? 'types' : 'js'}`);
}

const task = process.argv[2];
if (task === 'test') {
  install();
  build({ types: true });
  const { runChecksAndTests } = await import('./test-runner.mjs');
  const ok = await runChecksAndTests({ root, pnpm });
  process.exit(ok ? 0 : 1);
} else if (task === 'demo') {
  install();
  build({ types: false });
  const { runDemo } = await import('./demo-runner.mjs');
  process.exit(await runDemo({ root, pnpm, env }));
} else {
  console.error('usage: node scripts/sightline.mjs <test|demo>');
  process.exit(2);
}
