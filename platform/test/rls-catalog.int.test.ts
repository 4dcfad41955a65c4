import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { createTestDatabase } from './database.ts';
import { seedTenant, type SeededTenant } from './two-tenants.ts';

// Tables the app role never reads, but which still carry forced RLS: nothing in public is exempt.
let db: Database;
let a: SeededTenant;
let b: SeededTenant;
let tables: { name: string; rls: boolean; forced: boolean }[];

beforeAll(async () => {
  db = await createTestDatabase();
  a = await seedTenant(db.owner, 'A');
  b = await seedTenant(db.owner, 'B');
  const { rows } = await db.owner.query<{ name: string; rls: boolean; forced: boolean }>(
    `SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  tables = rows;
});
afterAll(() => db.close());

describe('row-level security over the whole catalog', () => {
  it('finds the foundation tables', () => {
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['agencies', 'practices', 'locations', 'users', 'memberships', 'sessions', 'api_tokens',
        'invitations', 'audit_log', 'data_keys']),
    );
  });

  it('enables and forces row-level security on every table in public', () => {
    const unprotected = tables.filter((t) => !t.rls || !t.forced).map((t) => t.name);
    expect(unprotected).toEqual([]);
  });

  it('reads the tenancy context once per statement: every policy wraps app_*() in a sub-select (an InitPlan)', async () => {
    const { rows } = await db.owner.query<{ policy: string; expr: string }>(
      `SELECT tablename || '.' || policyname AS policy, concat_ws(' / ', qual, with_check) AS expr
         FROM pg_policies WHERE schemaname = 'public'`,
    );
    // Strip the wrapped calls; any call left is evaluated per row.
    const perRow = rows.filter((r) => /app_\w+\(/.test(r.expr.replace(/SELECT app_\w+\([^)]*\)/g, ''))).map((r) => r.policy);
    expect(rows.length).toBeGreaterThan(20);
    expect(perRow).toEqual([]);
  });

  it('gives the app role no superuser, no BYPASSRLS and no ownership', async () => {
    const { rows } = await db.owner.query(
      `SELECT r.rolsuper, r.rolbypassrls,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
         FROM pg_roles r WHERE r.rolname = 'sourceline_app'`,
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it('seeds both tenants into every table, so the sweep below covers them all', async () => {
    const empty: string[] = [];
    await withSystem(db.owner, async (client) => {
      for (const { name } of tables) {
        const { rows } = await client.query(`SELECT to_jsonb(t)::text AS row FROM "${name}" t`);
        const text = rows.map((r) => r.row as string).join('\n');
        if (![...a.ids].some((id) => text.includes(id)) || ![...b.ids].some((id) => text.includes(id))) empty.push(name);
      }
    });
    // The chain heads hold hashes only; they are covered by the owner-only grant test instead.
    expect(empty.filter((name) => name !== 'audit_chain_heads')).toEqual([]);
  });

  it('shows tenant A none of tenant B’s rows in any table, and some of its own', async () => {
    const leaks: string[] = [];
    const seenOwn: string[] = [];
    await withTenantClient(db.app, { userId: a.userId, agencyIds: [a.agencyId], practiceIds: a.practiceIds }, async (client) => {
      for (const { name } of tables) {
        const readable = await client.query(`SELECT has_table_privilege('${name}', 'SELECT') AS ok`);
        if (!readable.rows[0].ok) continue;
        const { rows } = await client.query(`SELECT to_jsonb(t)::text AS row FROM "${name}" t`);
        const text = rows.map((r) => r.row as string).join('\n');
        if ([...b.ids].some((id) => text.includes(id))) leaks.push(name);
        if ([...a.ids].some((id) => text.includes(id))) seenOwn.push(name);
      }
    });
    expect(leaks).toEqual([]);
    expect(seenOwn).toEqual(expect.arrayContaining(['agencies', 'practices', 'locations', 'memberships', 'audit_log', 'data_keys']));
  });

  it('shows nothing at all when no tenancy context is set (fail closed)', async () => {
    const visible: string[] = [];
    await withTenantClient(db.app, {}, async (client) => {
      for (const { name } of tables) {
        const readable = await client.query(`SELECT has_table_privilege('${name}', 'SELECT') AS ok`);
        if (!readable.rows[0].ok) continue;
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${name}"`);
        if (rows[0].n > 0) visible.push(name);
      }
    });
    expect(visible).toEqual([]);
  });

  it('shows a table’s owner no tenant rows either, when the owner is no superuser: FORCE applies and no policy names it', async () => {
    // The suite's owner is the cluster's superuser, which bypasses RLS by definition; so a throwaway non-superuser
    // takes ownership of each tenant table, inside a transaction that is rolled back.
    const client = await db.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query('CREATE ROLE rls_probe_owner NOSUPERUSER NOBYPASSRLS');
      const { rows: tables } = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('practice_id', 'agency_id') AND NOT a.attisdropped)`,
      );
      expect(tables.length).toBeGreaterThan(20);
      for (const { name } of tables) await client.query(`ALTER TABLE ${name} OWNER TO rls_probe_owner`);
      await client.query('GRANT USAGE ON SCHEMA public TO rls_probe_owner');
      await client.query('SET ROLE rls_probe_owner');
      const visible: string[] = [];
      for (const { name } of tables) {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
        if (rows[0]!.n > 0) visible.push(name);
      }
      expect(visible).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('refuses to write a row into another tenant', async () => {
    await expect(
      withTenantClient(db.app, { userId: a.userId, agencyIds: [a.agencyId], practiceIds: a.practiceIds }, (client) =>
        client.query('INSERT INTO locations (practice_id, name) VALUES ($1, $2)', [b.practiceIds[0], 'Intruder']),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
