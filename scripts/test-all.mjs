// `npm test`: everything, in order: typecheck, lint, unit and WGSL tests in Node (vitest; WGSL on Dawn +
// SwiftShader), the production build, and end-to-end tests in Debian's Chromium (Playwright).
// Ends with the plain line `N passed, N failed`; exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const env = {
  ...process.env,
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json',
};
let passed = 0;
let failed = 0;
const failures = [];

function run(label, command, args) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status === 0;
}

function check(label, command, args) {
  if (run(label, command, args)) passed++;
  else {
    failed++;
    failures.push(label);
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

mkdirSync('test-results', { recursive: true });
check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
check('lint', 'npx', ['eslint', '.', '--max-warnings=0']);

rmSync('test-results/unit.json', { force: true });
const unitOk = run('unit + WGSL tests (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json']);
const unit = readJson('test-results/unit.json');
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  if (unit.numFailedTests > 0) failures.push(`${unit.numFailedTests} unit test(s)`);
  // A suite that failed to load has no failing test but must still fail the run.
  if (!unitOk && unit.numFailedTests === 0) {
    failed++;
    failures.push('vitest (a test file failed to load)');
  }
} else {
  failed++;
  failures.push('vitest (no report)');
}

const built = run('build', 'npx', ['vite', 'build']);
if (built) passed++;
else {
  failed++;
  failures.push('build');
}

if (built) {
  rmSync('test-results/e2e.json', { force: true });
  const e2eOk = run('end-to-end (Playwright, Debian chromium)', 'npx', ['playwright', 'test']);
  const e2e = readJson('test-results/e2e.json');
  if (e2e && e2e.stats) {
    passed += e2e.stats.expected + (e2e.stats.flaky ?? 0);
    if (e2e.stats.flaky) console.log(`\nflaky: ${e2e.stats.flaky} e2e test(s) passed only on retry`);
    failed += e2e.stats.unexpected;
    if (e2e.stats.unexpected > 0) failures.push(`${e2e.stats.unexpected} e2e test(s)`);
    if (!e2eOk && e2e.stats.unexpected === 0) {
      failed++;
      failures.push('playwright (run error)');
    }
  } else {
    failed++;
    failures.push('playwright (no report)');
  }
}

if (existsSync('test-results/screenshots')) console.log('\nscreenshots: test-results/screenshots/');
if (failures.length) console.log(`\nfailed: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
