import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { KeyRing } from '../crypto/master-key.ts';
import { migrate, migrationChecksums } from '../db/migrate.ts';
import { replayDeliveries } from '../webhooks/replay-deliveries.ts';
import { readHeader, type BackupHeader } from './backup-header.ts';
import { BackupFormatError, openFrames } from './sealed-frames.ts';
import { tablesInLoadOrder } from './table-order.ts';
import { BACKUP_KEY_CONTEXT, columnsOf } from './write-backup.ts';

/** Why a restore will not start or did not finish; the target database is left as it was (empty). */
export class RestoreError extends Error {
  override name = 'RestoreError';
}

export interface RestoreSummary {
  tables: number;
  rows: number;
  /** Migrations newer than the backup, applied to the restored data. */
  laterMigrations: string[];
  /** Webhook deliveries that were waiting to be processed, queued again. */
  requeuedDeliveries: number;
}

const BATCH_BYTES = 1 << 20;

/**
 * Restores a backup into an empty database: builds the schema the backup was taken with, loads every table in one
 * transaction (row counts and SHA-256 checked against the backup before it commits), then applies this build's
 * newer migrations and queues the webhook deliveries that were waiting. Rows are loaded verbatim: triggers that stamp
 * new rows (the audit chain) are held off during the load, and forced row-level security is lifted for the owner
 * inside that transaction only.
 */
export async function restoreBackup(
  owner: pg.Pool,
  ring: KeyRing,
  file: string,
  onTable: (table: string, rows: number) => void = () => {},
): Promise<RestoreSummary> {
  const { header, bodyOffset } = await readHeader(file);
  const key = unsealKey(ring, header);
  await requireEmpty(owner);
  const code = await migrationChecksums();
  header.migrations.forEach((m, i) => {
    const ours = code[i];
    if (!ours || ours.name !== m.name) throw new RestoreError(`the backup's migration ${m.name} is not this build's (${ours?.name ?? 'none'}): restore with the build that made it, or a newer one`);
    if (ours.checksum !== m.checksum) throw new RestoreError(`migration ${m.name} differs between the backup and this build: restore with the build that made it`);
  });

  await migrate(owner, undefined, { upTo: header.migrations.length });
  const loaded = await loadTables(owner, file, bodyOffset, key, onTable);
  const later = await migrate(owner);
  const requeuedDeliveries = await replayDeliveries(owner, { statuses: ['received'] });
  return { ...loaded, laterMigrations: later.applied, requeuedDeliveries };
}

function unsealKey(ring: KeyRing, header: BackupHeader): Buffer {
  const sealed = Buffer.from(header.sealedKey, 'base64');
  const keyId = ring.secretKeyId(sealed);
  try {
    ring.byId(keyId);
  } catch {
    throw new RestoreError(
      `the backup was sealed with master key ${keyId}, which this installation does not have (it has ${ring.current.id}): ` +
        'set SOURCELINE_MASTER_KEY, or put that key in DATA_DIR/master.key, before restoring',
    );
  }
  return ring.openSecret(sealed, BACKUP_KEY_CONTEXT);
}

async function requireEmpty(owner: pg.Pool): Promise<void> {
  const { rows } = await owner.query<{ tables: number; migrations: number }>(
    `SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS tables,
            (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'sourceline_meta') AS migrations`,
  );
  if (rows[0]!.tables > 0 || rows[0]!.migrations > 0) {
    throw new RestoreError(
      'restore writes into an empty database, and this one already has tables: point DATA_DIR at a new directory (or DATABASE_URL at a new database) and run restore again',
    );
  }
}

async function loadTables(owner: pg.Pool, file: string, bodyOffset: number, key: Buffer, onTable: (table: string, rows: number) => void) {
  const client = await owner.connect();
  try {
    await client.query('BEGIN');
    const tables = await tablesInLoadOrder(client);
    const { rows: forced } = await client.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relforcerowsecurity`,
    );
    for (const t of forced) await client.query(`ALTER TABLE public."${t.name}" NO FORCE ROW LEVEL SECURITY`);
    for (const t of tables) await client.query(`ALTER TABLE public."${t}" DISABLE TRIGGER USER`);

    let count = { tables: 0, rows: 0 };
    await pipeline(createReadStream(file, { start: bodyOffset }), openFrames(key), createGunzip(), async (source: AsyncIterable<Buffer>) => {
      count = await copyEachTable(client, lines(source), new Set(tables), onTable);
    });
    if (count.tables !== tables.length) throw new RestoreError(`the backup holds ${count.tables} tables, the schema ${tables.length}`);

    await resetSequences(client);
    for (const t of tables) await client.query(`ALTER TABLE public."${t}" ENABLE TRIGGER USER`);
    for (const t of forced) await client.query(`ALTER TABLE public."${t.name}" FORCE ROW LEVEL SECURITY`);
    await client.query('COMMIT');
    return count;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (error instanceof BackupFormatError) {
      throw new BackupFormatError(`${error.message}; nothing was loaded, and the database holds an empty schema: remove it before trying again`);
    }
    if (error instanceof RestoreError) throw error;
    throw new RestoreError(
      `the restore stopped and its load was rolled back (${(error as Error).message}); the database now holds an empty schema: ` +
        'remove it (a new DATA_DIR or database) before trying again',
    );
  } finally {
    client.release();
  }
}

/** Reads `{table, columns}`, the COPY rows up to `\.`, then `{rows, sha256}`, for every table in the stream. */
async function copyEachTable(client: pg.PoolClient, input: AsyncGenerator<string>, known: Set<string>, onTable: (table: string, rows: number) => void) {
  let tables = 0;
  let rows = 0;
  for (;;) {
    const next = await input.next();
    if (next.done) return { tables, rows };
    const { table, columns } = JSON.parse(next.value) as { table: string; columns: string[] };
    if (!known.has(table)) throw new RestoreError(`the backup holds table ${table}, which this schema does not have`);
    const expected = await columnsOf(client, table);
    if (expected.join(',') !== columns.join(',')) throw new RestoreError(`table ${table}: the backup's columns differ from the schema's`);

    const list = columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');
    const copy = client.query(copyFrom(`COPY public."${table}" (${list}) FROM STDIN`));
    const hash = createHash('sha256');
    let count = 0;
    let batch: string[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (!batch.length) return;
      if (!copy.write(batch.join(''))) await new Promise((resolve) => copy.once('drain', resolve));
      batch = [];
      batchBytes = 0;
    };
    for (;;) {
      const line = await input.next();
      if (line.done) throw new BackupFormatError(`the backup ends inside table ${table}`);
      if (line.value === '\\.') break;
      const text = `${line.value}\n`;
      hash.update(text);
      count += 1;
      batch.push(text);
      batchBytes += text.length;
      if (batchBytes >= BATCH_BYTES) await flush();
    }
    await flush();
    copy.end();
    await finished(copy);
    const footer = await input.next();
    const check = footer.done ? null : (JSON.parse(footer.value) as { rows: number; sha256: string });
    if (!check || check.rows !== count || check.sha256 !== hash.digest('hex')) {
      throw new BackupFormatError(`table ${table}: what was read does not match what was backed up`);
    }
    tables += 1;
    rows += count;
    onTable(table, count);
  }
}

async function* lines(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of source) {
    const text = rest + chunk.toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest) yield rest;
}

/** Identity and serial columns continue after the restored rows' highest value. */
async function resetSequences(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ table: string; column: string; sequence: string }>(
    `SELECT c.relname AS table, a.attname AS column, pg_get_serial_sequence(format('public.%I', c.relname), a.attname) AS sequence
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        AND pg_get_serial_sequence(format('public.%I', c.relname), a.attname) IS NOT NULL`,
  );
  for (const r of rows) {
    await client.query(`SELECT setval($1, coalesce((SELECT max("${r.column}") FROM public."${r.table}"), 0) + 1, false)`, [r.sequence]);
  }
}
