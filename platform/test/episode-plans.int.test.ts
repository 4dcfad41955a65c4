import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { PERSON_IDENTIFIER_KINDS } from '../src/leads/lead-identifier-keys.ts';
import { PEOPLE_OF_SQL } from '../src/leads/recompute-episodes.ts';
import { createTestDatabase, insertBarePractice } from './database.ts';

/**
 * Regrouping a batch of leads into episodes reads the people they belong to. The leads tables grow fast (a practice's
 * first weeks, a webhook burst) while the planner's statistics still describe them small: the query must probe its
 * indexes per lead whatever they say, not scan a practice's identifiers or leads on every call.
 */
let db: Database;
let practiceId: string;
let seeds: string[];

const insertLeads = (from: number, to: number) => `
  WITH l AS (
    INSERT INTO leads (practice_id, connection_id, source_id, content_hash, occurred_at, kind, episode_id)
    SELECT $1, $2, 'L' || g, sha256(g::text::bytea), now() - g * interval '1 minute', 'call', md5((g / 3)::text)::uuid
      FROM generate_series(${from}, ${to}) g
    RETURNING id, source_id)
  INSERT INTO lead_identifiers (lead_id, practice_id, kind, digest)
  SELECT id, $1, 'phone', sha256((substr(source_id, 2)::int / 5)::text::bytea) FROM l`;

beforeAll(async () => {
  db = await createTestDatabase();
  practiceId = await withSystem(db.owner, async (c) => {
    const { practiceId: practice, connectionId: connection } = await insertBarePractice(c, 'Episode', 'callrail');
    // Statistics taken while the practice had a few dozen leads, then a burst of twenty thousand.
    await c.query(insertLeads(1, 40), [practice, connection]);
    await c.query('ANALYZE leads; ANALYZE lead_identifiers');
    await c.query(insertLeads(41, 20_040), [practice, connection]);
    seeds = (await c.query<{ id: string }>(`SELECT id FROM leads WHERE practice_id = $1 ORDER BY occurred_at DESC LIMIT 15`, [practice])).rows.map((r) => r.id);
    return practice;
  });
});
afterAll(() => db.close());

it('reads the people of a batch of leads by index probes, however stale the statistics', async () => {
  const plan = await withTenantClient(db.app, { practiceIds: [practiceId] }, async (c) =>
    (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${PEOPLE_OF_SQL}`, [practiceId, seeds, [...PERSON_IDENTIFIER_KINDS]])).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n'),
  );
  expect(plan).not.toMatch(/Seq Scan|BitmapAnd|leads_practice_id_occurred_at_idx/);
  const rows = await withTenantClient(db.app, { practiceIds: [practiceId] }, async (c) =>
    (await c.query(PEOPLE_OF_SQL, [practiceId, seeds, [...PERSON_IDENTIFIER_KINDS]])).rows,
  );
  // Fifteen seeds, their episodes (threes) and the leads sharing their phones (fives), transitively.
  expect(rows.length).toBeGreaterThan(15);
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
});
