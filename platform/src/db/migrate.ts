import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { runMigrations as runWorkerMigrations } from 'graphile-worker';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;
// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK = 7_311_264_001;

const checksumOf = (sql: string) => createHash('sha256').update(sql).digest('hex');

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies the plain SQL files of `migrations/` in order, each in its own transaction, as the owner. A ledger records
 * each file's checksum so an edited, already-applied migration is refused rather than silently skipped.
 * graphile-worker's own schema is migrated after ours.
 */
export async function migrate(owner: pg.Pool, dir = MIGRATIONS_DIR, options: { upTo?: number } = {}): Promise<MigrationResult> {
  // A restore builds the schema its backup was taken with (`upTo`), loads it, then migrates the rest.
  const files = (await listMigrationFiles(dir)).slice(0, options.upTo);
  const client = await owner.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS sourceline_meta;
      CREATE TABLE IF NOT EXISTS sourceline_meta.schema_migrations (
        name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM sourceline_meta.schema_migrations',
    );
    const ledger = new Map(rows.map((row) => [row.name, row.checksum]));
    for (const name of ledger.keys()) {
      if (!files.some((file) => file.name === name)) {
        throw new MigrationError(`the database has migration ${name}, which is not in ${dir}: is this an older build?`);
      }
    }
    const applied: string[] = [];
    for (const file of files) {
      const sql = await readFile(path.join(dir, file.name), 'utf8');
      const checksum = checksumOf(sql);
      const known = ledger.get(file.name);
      if (known !== undefined) {
        if (known !== checksum) {
          throw new MigrationError(`migration ${file.name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO sourceline_meta.schema_migrations (name, checksum) VALUES ($1, $2)', [
          file.name,
          checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(`migration ${file.name} failed: ${(error as Error).message}`);
      }
      applied.push(file.name);
    }
    if (options.upTo === undefined) await runWorkerMigrations({ pgPool: owner });
    return { applied, alreadyApplied: ledger.size };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

/** Every migration of this build with the checksum the ledger records for it. */
export async function migrationChecksums(dir = MIGRATIONS_DIR): Promise<{ name: string; checksum: string }[]> {
  return Promise.all(
    (await listMigrationFiles(dir)).map(async ({ name }) => ({
      name,
      checksum: checksumOf(await readFile(path.join(dir, name), 'utf8')),
    })),
  );
}

async function listMigrationFiles(dir: string): Promise<{ name: string; number: number }[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const files = names.map((name) => {
    const match = FILE_PATTERN.exec(name);
    if (!match) throw new MigrationError(`${name}: migration files are named NNNN_lower_snake_case.sql`);
    return { name, number: Number(match[1]) };
  });
  files.forEach((file, index) => {
    if (file.number !== index + 1) {
      throw new MigrationError(`${file.name}: expected number ${String(index + 1).padStart(4, '0')} (no gaps, no repeats)`);
    }
  });
  return files;
}
