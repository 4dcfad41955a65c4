import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { createTestDatabase, insertBarePractice } from './database.ts';

/**
 * The incremental passes (matching, lead settling) and their sweeps find the few records whose derived state lags
 * their content. They must read small partial indexes once PostgreSQL has statistics: an expression comparing two
 * columns gets none, and the planner then walked the whole practice in id order (migration 0018). These plans are
 * what the per-lead latency of `pnpm bench match` rests on.
 */
let db: Database;
let practiceId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  practiceId = await withSystem(db.owner, async (c) => {
    const { practiceId: practice, connectionId: connection } = await insertBarePractice(c, 'Plans', 'open-dental');
    // Settled and matched, as a practice is between syncs, but for a handful.
    await c.query(
      `INSERT INTO patients (practice_id, connection_id, source_id, content_hash, gender, status, match_state)
       SELECT $1, $2, 'P' || g, sha256(g::text::bytea), 'unknown', 'active', CASE WHEN g % 2000 = 0 THEN NULL ELSE sha256(g::text::bytea) END
         FROM generate_series(1, 10000) g`,
      [practice, connection],
    );
    await c.query(
      `INSERT INTO leads (practice_id, connection_id, source_id, content_hash, occurred_at, kind, match_state, settled_state)
       SELECT $1, $2, 'L' || g, sha256(g::text::bytea), now() - g * interval '1 hour', 'call',
              CASE WHEN g % 4000 = 0 THEN NULL ELSE sha256(g::text::bytea) END, CASE WHEN g % 5000 = 0 THEN NULL ELSE sha256(g::text::bytea) END
         FROM generate_series(1, 20000) g`,
      [practice, connection],
    );
    return practice;
  });
  await db.owner.query('ANALYZE patients; ANALYZE leads');
});
afterAll(() => db.close());

async function planAsApp(sql: string, params: unknown[]): Promise<string> {
  return withTenantClient(db.app, { practiceIds: [practiceId] }, async (c) =>
    (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n'),
  );
}

it('reads the pending charts and leads of a practice from their partial indexes, in id order', async () => {
  for (const [table, index] of [
    ['leads', 'leads_match_pending_idx'],
    ['patients', 'patients_match_pending_idx'],
  ] as const) {
    const plan = await planAsApp(`SELECT id FROM ${table} WHERE practice_id = $1 AND match_pending ORDER BY id LIMIT 500`, [practiceId]);
    expect(plan).toContain(index);
    expect(plan).not.toMatch(/Seq Scan|_pkey/);
  }
  const settle = await planAsApp(`SELECT id FROM leads l WHERE l.practice_id = $1 AND l.settle_pending ORDER BY l.id LIMIT 200`, [practiceId]);
  expect(settle).toContain('leads_unsettled_idx');
});

it('counts what is pending, and finds it across practices, without reading every record', async () => {
  const status = await planAsApp('SELECT count(*) FROM leads WHERE practice_id = $1 AND match_pending', [practiceId]);
  expect(status).toContain('leads_match_pending_idx');
  const sweeps = await withSystem(db.owner, async (c) => [
    (await c.query('EXPLAIN SELECT practice_id FROM leads WHERE match_pending UNION SELECT practice_id FROM patients WHERE match_pending')).rows,
    (await c.query('EXPLAIN SELECT DISTINCT practice_id FROM leads WHERE settle_pending')).rows,
  ]);
  for (const rows of sweeps) expect(rows.map((r) => r['QUERY PLAN']).join('\n')).not.toContain('Seq Scan');
});

it('keeps the flags true to the content: a rewrite makes a record pending, marking it makes it not', async () => {
  const [lead] = (await db.owner.query<{ id: string }>(`SELECT id FROM leads WHERE NOT match_pending AND NOT settle_pending LIMIT 1`)).rows;
  await db.owner.query(`UPDATE leads SET content_hash = sha256('rewritten') WHERE id = $1`, [lead!.id]);
  const pending = async () => (await db.owner.query(`SELECT match_pending, settle_pending FROM leads WHERE id = $1`, [lead!.id])).rows[0];
  expect(await pending()).toEqual({ match_pending: true, settle_pending: true });
  await db.owner.query(`UPDATE leads SET match_state = lead_settle_key(content_hash, deleted_at) WHERE id = $1`, [lead!.id]);
  expect(await pending()).toEqual({ match_pending: false, settle_pending: true });
  await db.owner.query(`UPDATE leads SET deleted_at = now() WHERE id = $1`, [lead!.id]);
  expect(await pending()).toEqual({ match_pending: true, settle_pending: true });
});
