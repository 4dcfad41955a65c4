import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { restoreBackup } from '../src/backup/restore-backup.ts';
import { appRoleUrl } from '../src/db/app-role.ts';
import { createKeyRing, masterKeyFrom } from '../src/crypto/master-key.ts';
import { runCli } from './cli.ts';
import { createAgencyWithPractices, createUser, signIn } from './fixtures.ts';
import { addConnection, landLeads, lead } from './leads.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let dir: string;
let backup: string;
const pools: pg.Pool[] = [];
const PHONE = '+13125559876';
const EMAIL = 'rosalind.backup@example.test';

/** A new, empty database on the test cluster (no migrations), and the owner's pool on it. */
async function emptyDatabase(): Promise<{ url: string; pool: pg.Pool }> {
  const template = inject('pgTemplateUrl');
  const name = `r_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: template.replace(/\/app_template$/, '/postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = template.replace(/\/app_template$/, `/${name}`);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(pool);
  return { url, pool };
}

/** Each table of `public` as a count and a digest of its rows in a stable order. */
async function fingerprint(pool: pg.Pool): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await pool.query<{ n: number; digest: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM public."${name}" t`,
    );
    result[name] = `${rows[0]!.n}:${rows[0]!.digest}`;
  }
  return result;
}

const publicTables = async (pool: pg.Pool) => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]!.n;

beforeAll(async () => {
  platform = await startTestPlatform();
  dir = await mkdtemp(path.join(tmpdir(), 'sourceline-backup-'));
  backup = path.join(dir, 'nightly.slbackup');
  const tenant = await createAgencyWithPractices(platform, 'Backup Agency', ['Backup Dental']);
  const admin = await createUser(platform, { agencies: [[tenant.agencyId, 'admin']] });
  await signIn(platform, admin.email); // audit events
  const calls = await addConnection(platform, tenant.practiceIds[0]!, 'callrail');
  await landLeads(platform, calls, [
    lead('call-1', { phone: PHONE, name: 'Rosalind Backup', source: 'google', medium: 'cpc' }),
    lead('form-1', { email: EMAIL, name: 'Rosalind Backup' }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await rm(dir, { recursive: true, force: true });
  await platform.close();
});

// APP_DATABASE_URL with the run's app password: without it the CLI would set a new one on the shared cluster's role.
const cliEnv = (databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  APP_DATABASE_URL: appRoleUrl(databaseUrl, inject('pgAppPassword')),
  SOURCELINE_MASTER_KEY: platform.masterKey,
  DATA_DIR: dir,
});

describe('sourceline backup and restore', () => {
  it('round-trips every table exactly through an encrypted file; the restored audit log verifies and ids continue', async () => {
    const written = await runCli(['backup', backup], cliEnv(platform.db.ownerUrl));
    expect(written.stderr).toContain('backed up leads: 2 rows');
    expect(written.stdout).toMatch(/^Backed up \d+ tables \([\d,]+ rows\) to /);
    expect(written.code).toBe(0);
    expect((await stat(backup)).mode & 0o777).toBe(0o600);
    const bytes = await readFile(backup);
    for (const plain of ['Backup Agency', 'Backup Dental', PHONE, EMAIL, 'INSERT', 'audit_log']) expect(bytes.includes(plain)).toBe(false);

    const target = await emptyDatabase();
    const restored = await runCli(['restore', backup], cliEnv(target.url));
    expect(restored.stdout).toMatch(/Restored \d+ tables .* every table's count and checksum verified/);
    expect(restored.stdout).toMatch(/Audit log intact: [1-9]\d* events/);
    expect(restored.code).toBe(0);
    const source = await fingerprint(platform.db.owner);
    expect(source.leads).toMatch(/^2:/);
    expect(await fingerprint(target.pool)).toEqual(source);
    // Row-level security is forced again on every table once the load commits.
    const unforced = `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT (c.relrowsecurity AND c.relforcerowsecurity)`;
    expect((await target.pool.query(unforced)).rows[0].n).toBe(0);

    // A restored identity column continues after the restored rows rather than colliding with them.
    const { rows } = await target.pool.query<{ ok: boolean }>(
      `SELECT nextval(pg_get_serial_sequence('public.audit_log', 'id')) > (SELECT max(id) FROM audit_log) AS ok`,
    );
    expect(rows[0]!.ok).toBe(true);
  });

  it('never overwrites a file, and refuses a database that already has tables, changing nothing', async () => {
    expect(await runCli(['backup', backup], cliEnv(platform.db.ownerUrl))).toMatchObject({ code: 2, stderr: expect.stringContaining('already exists') });
    const before = await fingerprint(platform.db.owner);
    const refused = await runCli(['restore', backup], cliEnv(platform.db.ownerUrl));
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('empty database') });
    expect(await fingerprint(platform.db.owner)).toEqual(before);
  });

  it('names the master key a backup needs when this installation does not have it, before writing anything', async () => {
    const target = await emptyDatabase();
    const stranger = createKeyRing(masterKeyFrom(randomBytes(32).toString('base64')));
    await expect(restoreBackup(target.pool, stranger, backup)).rejects.toThrow(/sealed with master key mk_[0-9a-f]+, which this installation does not have/);
    expect(await publicTables(target.pool)).toBe(0);
  });

  it('rejects a damaged, truncated or foreign file by name', async () => {
    const original = await readFile(backup);
    const damaged = path.join(dir, 'damaged.slbackup');
    const flipped = Buffer.from(original);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 100) ^ 0x01, flipped.length - 100);
    await writeFile(damaged, flipped);
    await expect(restoreBackup((await emptyDatabase()).pool, platform.ring, damaged)).rejects.toThrow(/failed authentication/);

    const truncated = path.join(dir, 'truncated.slbackup');
    await writeFile(truncated, original.subarray(0, original.length - 200));
    await expect(restoreBackup((await emptyDatabase()).pool, platform.ring, truncated)).rejects.toThrow(/truncated|ends early/);

    const foreign = path.join(dir, 'notes.txt');
    await writeFile(foreign, 'not a backup\n');
    const target = await emptyDatabase();
    await expect(restoreBackup(target.pool, platform.ring, foreign)).rejects.toThrow(/is not a Sourceline backup/);
    expect(await publicTables(target.pool)).toBe(0);
  });
});
