// Runs every check and every test, then prints one plain line `N passed, N failed` computed from
// the real results: each static check counts as one, each vitest test as one.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export async function runChecksAndTests({ root, pnpm }) {
  const results = [];
  const check = (name, args) => {
    console.log(`\n› ${name}`);
    const res = pnpm(args, { allowFail: true });
    results.push({ name, ok: res.status === 0 });
  };

  check('lint (biome: format, lint, no focused or skipped tests)', ['exec', 'biome', 'ci', '.']);
  check('typecheck (every package, tests included)', ['-r', '--workspace-concurrency=2', 'run', 'typecheck']);
  check('package checks (publint + arethetypeswrong)', ['exec', 'node', 'scripts/check-packages.mjs']);

  console.log('\n› tests (vitest)');
  const report = join(root, '.vitest-results.json');
  rmSync(report, { force: true });
  pnpm(['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
    allowFail: true,
  });
  let passed = results.filter((r) => r.ok).length;
  let failed = results.length - passed;
  let skipped = 0;
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    skipped += json.numPendingTests + (json.numTodoTests ?? 0);
    // A suite that fails to load has no tests in it; count it, or a broken file would pass silently.
    failed += json.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
    if (json.numTotalTests === 0) failed += 1;
  } else {
    console.error('vitest wrote no report: counting the run as one failure');
    failed += 1;
  }

  for (const r of results) console.log(`${r.ok ? '✓' : '✗'} ${r.name}`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0;
}
