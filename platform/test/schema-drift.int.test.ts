import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { diffPrismaSchemaAgainstDatabase } from '../src/db/schema-diff.ts';
import { createTestDatabase } from './database.ts';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

it('keeps prisma/schema.prisma in step with the SQL migrations', async () => {
  expect(await diffPrismaSchemaAgainstDatabase(db.ownerUrl)).toBeNull();
});

it('notices when the database drifts from the schema', async () => {
  await db.owner.query('ALTER TABLE locations ADD COLUMN drifted text');
  try {
    expect(await diffPrismaSchemaAgainstDatabase(db.ownerUrl)).toMatch(/ALTER TABLE "locations" DROP COLUMN "drifted"/);
  } finally {
    await db.owner.query('ALTER TABLE locations DROP COLUMN drifted');
  }
});
