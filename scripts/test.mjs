#!/usr/bin/env node
// The whole test suite, as README's test command and .ci/run run it: generate what is generated, typecheck every
// package (counted as one check), run every vitest project (unit + database integration on one embedded PostgreSQL),
// then the browser end-to-end tests, and end with one plain line of totals.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = path.join(root, '.data', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function step(title) {
  process.stdout.write(`\n== ${title}\n`);
}

let passed = 0;
let failed = 0;
// Named again just above the totals, so a CI log's tail says which test failed and why.
const failedNames = [];
const firstLine = (text) => (text ?? '').split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? '';

step('generate (Prisma client, typed GraphQL documents)');
if (run('pnpm', ['generate']) !== 0) {
  process.stdout.write('generation failed\n0 passed, 1 failed\n');
  process.exit(1);
}

// The browser tests need Chromium, and the PDF checks read text with poppler's pdftotext: say so before a long run.
const missing = [
  [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', 'chromium'],
  ['/usr/bin/pdftotext', 'poppler-utils'],
].filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg);
if (missing.length > 0) {
  process.stdout.write(`\nMissing ${missing.join(' and ')}: some tests will fail. Install with: apt-get install -y ${missing.join(' ')}\n`);
}

step('typecheck (every package, strict)');
if (run('pnpm', ['-r', '--silent', 'typecheck']) === 0) passed += 1;
else {
  failed += 1;
  failedNames.push('typecheck');
}

step('vitest: unit and database integration tests');
const vitestJson = path.join(reports, 'vitest.json');
run('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += report.numPassedTests;
  for (const file of report.testResults ?? []) {
    const failures = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
    if (failures.length === 0 && file.status === 'failed') failedNames.push(`${path.relative(root, file.name)}: ${firstLine(file.message)}`);
    for (const test of failures) failedNames.push(`${path.relative(root, file.name)} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
  }
  failed += report.numFailedTests + (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0 ? 1 : 0);
} else failed += 1;

if (existsSync(path.join(root, 'web', 'playwright.config.ts'))) {
  step('web: build and browser end-to-end tests (headless Chromium)');
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    process.stdout.write(`Chromium not found at ${chromium}: install Debian's package (apt-get install -y chromium poppler-utils) or set CHROMIUM_PATH.\n`);
    failed += 1;
  } else if (run('pnpm', ['--filter', '@sourceline/web', 'build']) !== 0) {
    failed += 1;
  } else {
    const playwrightJson = path.join(reports, 'playwright.json');
    run('pnpm', ['--filter', '@sourceline/web', 'exec', 'playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson, CI: '1' });
    if (existsSync(playwrightJson)) {
      const report = JSON.parse(readFileSync(playwrightJson, 'utf8'));
      passed += report.stats.expected + report.stats.flaky;
      failed += report.stats.unexpected;
      const visit = (suite, titles) => {
        for (const spec of suite.specs ?? []) {
          for (const test of spec.tests ?? []) {
            if (test.status !== 'unexpected') continue;
            const error = test.results?.at(-1)?.error?.message;
            failedNames.push(`web/e2e/${spec.file} › ${[...titles, spec.title].join(' › ')}: ${firstLine(error)}`);
          }
        }
        for (const child of suite.suites ?? []) visit(child, [...titles, child.title]);
      };
      for (const suite of report.suites ?? []) visit(suite, []);
    } else failed += 1;
  }
}

if (failed > failedNames.length) failedNames.push(`${failed - failedNames.length} more without a test's name (a step that did not run, or a run-level error): see the log above`);
if (failedNames.length > 0) process.stdout.write(`\nFailed:\n${failedNames.map((name) => `  ${name}`).join('\n')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
