#!/usr/bin/env node
// Starts the real product for end-to-end tests: a fresh data directory (embedded PostgreSQL included) under
// .data/e2e-*, free ports, and the first-run administrator's credentials written where the tests can read them.
//
//   E2E_PORT          HTTP port (default 4568)
//   E2E_STATE_FILE    where to write the state JSON as well (default .data/e2e-current-<port>.json)
//
// The state file holds { baseUrl, dataDir, email, password, pgPort, ownerUrl }. SIGTERM/SIGINT stop the product
// cleanly and remove the data directory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_ROOT = path.join(ROOT, '.data');
const PORT = Number(process.env.E2E_PORT ?? 4568);
const STATE_FILE = path.resolve(process.env.E2E_STATE_FILE ?? path.join(DATA_ROOT, `e2e-current-${PORT}.json`));
const START_TIMEOUT_MS = 90_000;

const log = (message) => process.stdout.write(`[e2e-server] ${message}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Data directories left behind by a run that was killed outright (its server pid is gone). */
async function removeStaleDataDirs() {
  if (!existsSync(DATA_ROOT)) return;
  for (const entry of await readdir(DATA_ROOT)) {
    if (!entry.startsWith('e2e-') || entry.endsWith('.json')) continue;
    const dir = path.join(DATA_ROOT, entry);
    const pid = Number(await readFile(path.join(dir, 'e2e-server.pid'), 'utf8').catch(() => '0'));
    if (pid && alive(pid)) continue;
    await rm(dir, { recursive: true, force: true });
  }
}

if (!(await portIsFree(PORT))) {
  process.stderr.write(`[e2e-server] port ${PORT} is in use: stop what runs there or set E2E_PORT.\n`);
  process.exit(1);
}
await removeStaleDataDirs();
const dataDir = await mkdtemp(path.join(DATA_ROOT, 'e2e-'));
await writeFile(path.join(dataDir, 'e2e-server.pid'), String(process.pid));
const pgPort = await freePort();
const baseUrl = `http://127.0.0.1:${PORT}`;
log(`data directory ${path.relative(ROOT, dataDir)}, PostgreSQL on ${pgPort}, HTTP on ${PORT}`);

// Its own process group, so a signal to ours (Playwright stops the web server's group) reaches the product once,
// from us: a second SIGTERM would kill it before the embedded database has stopped.
const child = spawn(process.execPath, ['--import', 'tsx', 'platform/src/cli/main.ts', 'start'], {
  cwd: ROOT,
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    PORT: String(PORT),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // No demo agency: tests seed exactly the tenants they assert on, and the demo's simulated offices would compete
    // for the CPU. E2E_DEMO=true brings it back.
    DEMO: process.env.E2E_DEMO ?? 'false',
  },
});

let stopping = false;
let credentials = null;
let stdoutBuffer = '';

async function cleanUp() {
  await rm(dataDir, { recursive: true, force: true }).catch(() => {});
  const state = await readFile(STATE_FILE, 'utf8').catch(() => null);
  if (state && JSON.parse(state).dataDir === dataDir) await rm(STATE_FILE, { force: true });
}

async function writeState() {
  const superuserPassword = (await readFile(path.join(dataDir, 'pg-superuser.secret'), 'utf8')).trim();
  const state = {
    baseUrl,
    dataDir,
    pgPort,
    email: credentials.email,
    password: credentials.password,
    // For tests that must reach behind the API (e.g. deliver queued e-mail now rather than on the next minute).
    ownerUrl: `postgres://postgres:${encodeURIComponent(superuserPassword)}@127.0.0.1:${pgPort}/sourceline`,
  };
  const own = path.join(dataDir, 'e2e-admin.json');
  await writeFile(own, JSON.stringify(state, null, 2), { mode: 0o600 });
  await writeFile(STATE_FILE, JSON.stringify(state, null, 2), { mode: 0o600 });
  log(`administrator credentials written to ${path.relative(ROOT, own)} and ${path.relative(ROOT, STATE_FILE)}`);
}

child.stdout.on('data', (chunk) => {
  const text = chunk.toString();
  process.stdout.write(text.replace(/(password:\s+)\S+/, '$1[written to the state file]'));
  if (credentials) return;
  stdoutBuffer += text;
  const email = /e-mail:\s+(\S+)/.exec(stdoutBuffer)?.[1];
  const password = /password:\s+(\S+)/.exec(stdoutBuffer)?.[1];
  if (email && password) {
    credentials = { email, password };
    stdoutBuffer = '';
    writeState().catch((error) => {
      process.stderr.write(`[e2e-server] could not write the state file: ${error.message}\n`);
      stop('SIGTERM');
    });
  }
});
child.stderr.pipe(process.stderr);

const startTimer = setTimeout(() => {
  if (!credentials) {
    process.stderr.write('[e2e-server] the product did not print first-run credentials in time; stopping.\n');
    stop('SIGTERM');
  }
}, START_TIMEOUT_MS);
startTimer.unref();

function stop(signal) {
  if (stopping) return;
  stopping = true;
  log(`stopping (${signal})`);
  if (child.exitCode === null) child.kill(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
  // If the product hangs on shutdown, do not leave it (and its database) behind.
  setTimeout(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  }, 20_000).unref();
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGHUP', () => stop('SIGTERM'));

child.on('exit', async (code, signal) => {
  await cleanUp();
  if (!stopping) process.stderr.write(`[e2e-server] the product exited unexpectedly (${signal ?? `code ${code}`}).\n`);
  else log('stopped, data directory removed');
  process.exit(stopping ? 0 : (code ?? 1));
});
