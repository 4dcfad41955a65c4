import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { appRoleUrl } from '../src/db/app-role.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { runCli } from './cli.ts';
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
