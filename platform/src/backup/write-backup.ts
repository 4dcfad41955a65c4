import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { KeyRing } from '../crypto/master-key.ts';
import { encodeHeader } from './backup-header.ts';
import { sealFrames } from './sealed-frames.ts';
import { tablesInLoadOrder } from './table-order.ts';

export const BACKUP_KEY_CONTEXT = 'sourceline-backup';

export interface BackupSummary {
  file: string;
  tables: number;
  rows: number;
  bytes: number;
}

/**
 * Writes every table of `public` to `file`, from one snapshot (REPEATABLE READ), as COPY text in load order, gzip'd
 * and sealed under a fresh data key that the master key wraps. Each table ends with its row count and SHA-256 so a
 * restore can prove it loaded exactly what was read. Written to a temporary name and renamed: a failed backup leaves
 * no file that looks whole. graphile-worker's queue is not included: its jobs are re-derived from the tables.
 */
export async function writeBackup(
  owner: pg.Pool,
  ring: KeyRing,
  file: string,
  onTable: (table: string, rows: number) => void = () => {},
): Promise<BackupSummary> {
  const client = await owner.connect();
  const partial = `${file}.partial`;
  let tables = 0;
  let rows = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const order = await tablesInLoadOrder(client);
    const { rows: migrations } = await client.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM sourceline_meta.schema_migrations ORDER BY name',
    );
    const { rows: [version] } = await client.query<{ server_version: string }>('SHOW server_version');
    // The system role's policies see every tenant; the owner itself is subject to forced row-level security.
    await client.query('SET LOCAL ROLE sourceline_system');
    const key = randomBytes(32);
    const header = encodeHeader({
      createdAt: new Date().toISOString(),
      postgres: version!.server_version,
      migrations,
      sealedKey: ring.sealSecret(key, BACKUP_KEY_CONTEXT).toString('base64'),
    });

    async function* body(): AsyncGenerator<Buffer> {
      for (const table of order) {
        const columns = await columnsOf(client, table);
        yield Buffer.from(`${JSON.stringify({ table, columns })}\n`);
        const hash = createHash('sha256');
        let count = 0;
        const list = columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');
        for await (const chunk of client.query(copyTo(`COPY public."${table}" (${list}) TO STDOUT`)) as AsyncIterable<Buffer>) {
          hash.update(chunk);
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) count += 1;
          yield chunk;
        }
        // COPY's text format escapes backslashes, so no data line is ever exactly "\.": it ends the table's rows.
        yield Buffer.from(`\\.\n${JSON.stringify({ rows: count, sha256: hash.digest('hex') })}\n`);
        tables += 1;
        rows += count;
        onTable(table, count);
      }
    }

    const out = createWriteStream(partial, { mode: 0o600 });
    out.write(header);
    await pipeline(Readable.from(body()), createGzip(), sealFrames(key), out);
    await client.query('COMMIT');
    await rename(partial, file);
    return { file, tables, rows, bytes: out.bytesWritten };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    await rm(partial, { force: true });
    throw error;
  } finally {
    client.release();
  }
}

/** Stored columns in table order (generated columns are computed again on load, so they are left out). */
export async function columnsOf(client: pg.PoolClient, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
      WHERE attrelid = format('public.%I', $1::text)::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      ORDER BY attnum`,
    [table],
  );
  return rows.map((r) => r.name);
}
