import { existsSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { appRoleUrl } from '../src/db/app-role.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { freePort } from '../src/http/free-port.ts';
import { runCli, spawnCli } from './cli.ts';
import { scratchDirectory } from './product-process.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase } from './database.ts';

let db: Database;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  env = {
    DATABASE_URL: db.ownerUrl,
    APP_DATABASE_URL: appRoleUrl(db.ownerUrl, inject('pgAppPassword')),
    SOURCELINE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    DATA_DIR: '.data/test-cli',
  };
});
afterAll(() => db.close());

describe('configuration', () => {
  it('exits 2 naming every bad variable at once', async () => {
    const result = await runCli(['migrate'], { PORT: 'eighty', DATABASE_URL: 'mysql://nope', SOURCELINE_MASTER_KEY: 'short', LOG_LEVEL: 'loud' });
    expect(result.code).toBe(2);
    for (const name of ['PORT', 'DATABASE_URL', 'SOURCELINE_MASTER_KEY', 'LOG_LEVEL']) expect(result.stderr).toContain(name);
  });

  it('exits 2 on an unknown command or a missing option', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['create-admin'], env)).code).toBe(2);
  });
});

describe('sourceline CLI against an external database (DATABASE_URL)', () => {
  it('migrates idempotently, creates an admin with a one-time password, and verifies the audit log', async () => {
    expect((await runCli(['migrate'], env)).stdout).toMatch(/up to date/);
    const created = await runCli(['create-admin', '--email', 'Ops@Example.test', '--name', 'Ops'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/One-time password: \S{20}/);
    const users = await withSystem(db.owner, async (c) => (await c.query('SELECT email, is_platform_admin FROM users')).rows);
    expect(users).toEqual([{ email: 'ops@example.test', is_platform_admin: true }]);
    const verified = await runCli(['audit', 'verify'], env);
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: 1 events in 1 chains/) });
  });

  it('exits 1 and names the broken link when the audit log was tampered with', async () => {
    const client = await db.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(`UPDATE audit_log SET action = 'user.nothing_happened'`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const verified = await runCli(['audit', 'verify'], env);
    expect(verified.stdout).toMatch(/BROKEN: chain global, seq 1 .*altered/);
    expect(verified.code).toBe(1);
  });

  it('refuses --new-master-key when the key comes from the environment', async () => {
    const result = await runCli(['keys', 'rotate', '--new-master-key'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SOURCELINE_MASTER_KEY/);
  });
});

/**
 * Runs `sourceline start` until it answers its health check, calls `whileRunning`, then stops it with Ctrl-C (SIGINT)
 * and resolves with its exit code and everything it printed. `fromTerminal`: the Ctrl-C goes to the whole process
 * group, as a terminal sends it, and so to every process the product started in it.
 */
async function startThenInterrupt(env: Record<string, string>, whileRunning: () => Promise<void> = async () => {}, options: { fromTerminal?: boolean } = {}) {
  const child = spawnCli(['start'], env, { ownProcessGroup: options.fromTerminal });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let failure: unknown = null;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`start exited (${child.exitCode}) before it was healthy:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`start was not healthy within 60 s:\n${stderr}`);
      const healthy = await fetch(`http://127.0.0.1:${env.PORT}/healthz`).then((r) => r.ok, () => false);
      if (healthy) break;
      await sleep(200);
    }
    await whileRunning();
  } catch (error) {
    failure = error;
  }
  // A Ctrl-C in a terminal running `pnpm start` reaches the process twice: from the terminal, and relayed by tsx.
  if (options.fromTerminal) process.kill(-child.pid!, 'SIGINT');
  else child.kill('SIGINT');
  await sleep(30);
  child.kill('SIGINT');
  // A start that ignores Ctrl-C must fail the test, not hang it; either way it is gone before its data directory is.
  const code = await Promise.race([exited, sleep(30_000, 'did not stop on SIGINT', { ref: false })]);
  if (typeof code === 'string') {
    child.kill('SIGKILL');
    await exited;
  }
  if (failure) throw failure;
  return { code, stdout, stderr };
}

describe('sourceline start with no database configured (embedded PostgreSQL under DATA_DIR)', () => {
  it('writes the master key owner-only, and a second start reuses the data without creating another admin', { timeout: 180_000 }, async () => {
    const dir = await scratchDirectory('test-start-');
    // No SOURCELINE_MASTER_KEY and no DATABASE_URL: the zero-configuration path a new user takes.
    const env = { DATA_DIR: dir, DEMO: 'false', PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) };
    const keyFile = path.join(dir, 'master.key');
    try {
      const first = await startThenInterrupt(env);
      expect(first.stdout).toMatch(/First run: created the administrator account/);
      expect(first.code, first.stderr).toBe(0);
      // 0600: the key that unwraps every practice's data keys is readable by the account running Sourceline alone.
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      const key = await readFile(keyFile, 'utf8');

      const second = await startThenInterrupt(env, async () => {
        // Counted in the running product's own database, through the superuser password start keeps under DATA_DIR.
        const password = (await readFile(path.join(dir, 'pg-superuser.secret'), 'utf8')).trim();
        const client = new pg.Client({ connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${env.EMBEDDED_PG_PORT}/sourceline` });
        await client.connect();
        try {
          expect((await client.query('SELECT email FROM users')).rows).toEqual([{ email: 'admin@sourceline.local' }]);
        } finally {
          await client.end();
        }
      });
      expect(second.stdout).not.toMatch(/First run/);
      expect(second.stdout).toMatch(/Sourceline is running/);
      expect(second.code, second.stderr).toBe(0);
      // The same key, not a new one that could no longer unwrap what the first run wrapped.
      expect(await readFile(keyFile, 'utf8')).toBe(key);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops in order on a Ctrl-C from the terminal while the demo syncs: no job fails, and the database stops last', { timeout: 180_000 }, async () => {
    const dir = await scratchDirectory('test-start-demo-');
    const env = { DATA_DIR: dir, DEMO: 'true', LOG_LEVEL: 'info', PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) };
    try {
      // A few seconds in, the demo practices' first syncs and matching runs are under way.
      const run = await startThenInterrupt(env, () => sleep(3_000), { fromTerminal: true });
      expect(run.code, run.stderr).toBe(0);
      const logged = run.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(logged.map((entry) => entry.msg)).toContain('shutting down');
      // Had the database taken the Ctrl-C too, it would have cut the worker's connections under its running jobs.
      expect(logged.filter((entry) => entry.level >= 50).map((entry) => entry.msg)).toEqual([]);
      expect(existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
