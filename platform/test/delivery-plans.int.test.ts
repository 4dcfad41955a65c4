import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { WAITING_DELIVERIES_SQL } from '../src/webhooks/process-deliveries.ts';
import { createTestDatabase, insertBarePractice } from './database.ts';

/**
 * A connection's deliveries pile up processed for as long as it lives; the processing job asks for the few waiting.
 * Finding them must not cost a step over every delivery already processed.
 */
let db: Database;
let practiceId: string;
let connectionId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ practiceId, connectionId } = await withSystem(db.owner, async (c) => {
    const bare = await insertBarePractice(c, 'Deliveries', 'callrail');
    await c.query(
      `INSERT INTO webhook_deliveries (practice_id, connection_id, webhook, body_sealed, body_bytes, status, received_at)
       SELECT $1, $2, 'post-call', '\\x00', 1, CASE WHEN g > 20000 THEN 'received' ELSE 'processed' END, now() - (20050 - g) * interval '1 second'
         FROM generate_series(1, 20050) g`,
      [bare.practiceId, bare.connectionId],
    );
    await c.query('ANALYZE webhook_deliveries');
    return bare;
  }));
});
afterAll(() => db.close());

it('claims the waiting deliveries without stepping over the processed ones', async () => {
  const plan = await withTenantClient(db.app, { practiceIds: [practiceId] }, async (c) =>
    (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${WAITING_DELIVERIES_SQL}`, [connectionId, 200])).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n'),
  );
  expect(plan).toMatch(/Index Scan using webhook_deliveries_waiting_idx/);
  expect(plan).not.toMatch(/Rows Removed by Filter/);
  expect(plan).toMatch(/LockRows \(actual time=\S+ rows=50(\.00)? /);
});
