import { afterAll, beforeAll, expect, it } from 'vitest';
import { preallocateWal } from '../src/bench/bench-platform.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase } from './database.ts';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

// `pnpm bench ingest` must not time the creation of WAL segments a server that has been running would have recycled.
it('leaves the WAL it was asked for in segments ahead of the insert point, for commits to fill without creating one', async () => {
  const segmentSize = 16 * 1024 * 1024;
  const ahead = async () =>
    (
      await db.owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' AND name > pg_walfile_name(pg_current_wal_insert_lsn())`,
      )
    ).rows[0]!.n;
  expect(await preallocateWal(db.owner, 3 * segmentSize - 1)).toEqual({ segments: 3 });
  expect(await ahead()).toBeGreaterThanOrEqual(3);
});
