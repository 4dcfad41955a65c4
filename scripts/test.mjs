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
else failed += 1;

step('vitest: unit and database integration tests');
const vitestJson = path.join(reports, 'vitest.json');
run('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += report.numPassedTests;
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
      const { stats } = JSON.parse(readFileSync(playwrightJson, 'utf8'));
      passed += stats.expected + stats.flaky;
      failed += stats.unexpected;
    } else failed += 1;
  }
}

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
