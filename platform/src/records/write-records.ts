import type { RecordKind, RecordOf } from '@sourceline/sdk';
import type pg from 'pg';
import type { PracticeCipher } from '../crypto/practice-keys.ts';
import { arrayLiteral } from './array-literal.ts';
import { recordTables, sealerFor } from './record-tables.ts';

/** Whose records these are: every write names the practice (row-level security checks it) and the connection. */
export interface RecordTarget {
  practiceId: string;
  connectionId: string;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  /** Records identical to what is stored: nothing was written. */
  skipped: number;
}

/** Plaintext blocking keys of a record (normalised phone, e-mail, name keys), stored only as blind digests. */
export type IdentifierKeys<K extends RecordKind> = (record: RecordOf<K>) => readonly string[];

/**
 * A batch made ready without the database, so that it can be prepared while the previous batch is being written:
 * each record's content hash and, when nothing stored can match (`knownNew`), every row sealed and encoded.
 */
export interface PreparedUpsert<K extends RecordKind> {
  kind: K;
  /** The last emission of an id within one batch wins, as it would across batches. */
  byId: Map<string, RecordOf<K>>;
  hashes: Map<string, Buffer>;
  /** Every record's row, when prepared as known new: nothing is looked up before writing. */
  rows?: EncodedRows;
}

/** A batch's rows as one array literal per column, and the blind digests of each record's identifiers. */
interface EncodedRows {
  columns: string[];
  identifiers: Map<string, { kinds: string[]; digests: Buffer[] }> | null;
}

/**
 * Upserts a batch of validated records of one kind inside the caller's tenant transaction. Records whose content
 * hash matches the stored one are skipped before anything is encrypted; a record that had been deleted and comes back
 * is restored. Returns what happened to each. `knownNew` (the connection held no records of this kind when the run
 * began) skips the lookup: a record repeated within the run is then rewritten rather than skipped, never duplicated.
 * `insertOnly` is for provisional records (a webhook's placeholder for a fuller record that arrives later): they are
 * written when the id is new and never replace what is stored.
 */
export async function upsertRecords<K extends RecordKind>(
  client: pg.PoolClient,
  target: RecordTarget,
  cipher: PracticeCipher,
  kind: K,
  records: readonly RecordOf<K>[],
  identifierKeys?: IdentifierKeys<K>,
  options: { knownNew?: boolean; insertOnly?: boolean } = {},
): Promise<UpsertCounts> {
  return writeUpsert(client, target, cipher, prepareUpsert(cipher, kind, records, identifierKeys, options.knownNew ?? false), identifierKeys, options);
}

export function prepareUpsert<K extends RecordKind>(
  cipher: PracticeCipher,
  kind: K,
  records: readonly RecordOf<K>[],
  identifierKeys: IdentifierKeys<K> | undefined,
  knownNew: boolean,
): PreparedUpsert<K> {
  const byId = new Map(records.map((r) => [r.id, r]));
  const hashes = new Map([...byId].map(([id, record]) => [id, contentHash(cipher, kind, record)]));
  const prepared: PreparedUpsert<K> = { kind, byId, hashes };
  if (knownNew) prepared.rows = encodeRows(cipher, prepared, [...byId.values()], identifierKeys);
  return prepared;
}

/**
 * Writes a prepared batch: looks up what is stored unless known new, then seals and upserts what changed. `plain`
 * (a batch prepared as known new only) inserts without `ON CONFLICT`: PostgreSQL's speculative insertion is a fifth
 * of its time on a page of 1,000 procedures. An id already stored then fails the statement, and with it the
 * transaction, with `isRepeatedRecord`; the caller must be able to write the transaction again.
 */
export async function writeUpsert<K extends RecordKind>(
  client: pg.PoolClient,
  target: RecordTarget,
  cipher: PracticeCipher,
  prepared: PreparedUpsert<K>,
  identifierKeys?: IdentifierKeys<K>,
  options: { insertOnly?: boolean; plain?: boolean } = {},
): Promise<UpsertCounts> {
  const { kind, byId, hashes } = prepared;
  const table = recordTables[kind] as (typeof recordTables)[RecordKind];
  let rows = prepared.rows;
  if (!rows) {
    // One probe of the (connection_id, source_id) unique index per id, whatever the planner's statistics say: on a
    // table growing fast during an initial sync they are stale, and a join or `= ANY` then scans the whole connection.
    const { rows: stored } = await client.query<{ source_id: string; content_hash: Buffer; deleted: boolean }>(
      `SELECT t.source_id, t.content_hash, t.deleted_at IS NOT NULL AS deleted
         FROM unnest($2::text[]) AS ids(source_id)
         CROSS JOIN LATERAL (SELECT source_id, content_hash, deleted_at FROM ${table.table}
                              WHERE connection_id = $1 AND source_id = ids.source_id LIMIT 1) t`,
      [target.connectionId, arrayLiteral([...byId.keys()])],
    );
    const unchanged = new Set(stored.filter((s) => !s.deleted && s.content_hash.equals(hashes.get(s.source_id)!)).map((s) => s.source_id));
    const changed = [...byId.values()].filter((r) => !unchanged.has(r.id));
    if (changed.length === 0) return { inserted: 0, updated: 0, skipped: byId.size };
    rows = encodeRows(cipher, prepared, changed, identifierKeys);
  }

  const names = table.columns.map((c) => c.name);
  const types = ['text', 'bytea', ...table.columns.map((c) => c.type)];
  // Ids come back only when identifiers must be written for them: a page of procedures needs just the counts.
  const { rows: written } = await client.query<{ id: string; source_id: string; inserted: boolean }>(
    `INSERT INTO ${table.table} (practice_id, connection_id, source_id, content_hash, ${names.join(', ')})
     SELECT $1::uuid, $2::uuid, u.* FROM unnest(${types.map((t, i) => `$${i + 3}::${t}[]`).join(', ')}) AS u
     ${onConflict(names, options.plain && prepared.rows ? 'fail' : options.insertOnly ? 'keep' : 'replace')}
     RETURNING ${rows.identifiers ? 'id, source_id, ' : ''}(xmax = 0) AS inserted`,
    [target.practiceId, target.connectionId, ...rows.columns],
  );
  if (rows.identifiers && table.identifierTable) {
    await replaceIdentifiers(client, target.practiceId, table.identifierTable, written, rows.identifiers);
  }
  const inserted = written.filter((r) => r.inserted).length;
  return { inserted, updated: written.length - inserted, skipped: byId.size - written.length };
}

function onConflict(names: readonly string[], repeated: 'fail' | 'keep' | 'replace'): string {
  if (repeated === 'fail') return '';
  if (repeated === 'keep') return 'ON CONFLICT (connection_id, source_id) DO NOTHING';
  return `ON CONFLICT (connection_id, source_id) DO UPDATE SET content_hash = EXCLUDED.content_hash,
            ${names.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}, deleted_at = NULL, updated_at = now()`;
}

/** Whether a plain insert failed because the connection already holds one of the batch's ids. */
export function isRepeatedRecord(error: unknown, kind: RecordKind): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '23505' && constraint === `${recordTables[kind].table}_connection_id_source_id_key`;
}

/** Seals and encodes the rows of `records`, and digests their identifiers when the kind has an identifier table. */
function encodeRows<K extends RecordKind>(
  cipher: PracticeCipher,
  prepared: PreparedUpsert<K>,
  records: readonly RecordOf<K>[],
  identifierKeys: IdentifierKeys<K> | undefined,
): EncodedRows {
  const table = recordTables[prepared.kind] as (typeof recordTables)[RecordKind];
  const seal = sealerFor(cipher, prepared.kind);
  const toRow = table.toRow as (r: RecordOf<K>, s: typeof seal) => unknown[];
  const values: unknown[][] = [[], [], ...table.columns.map(() => [])];
  const identifiers = table.identifierTable && identifierKeys ? new Map<string, { kinds: string[]; digests: Buffer[] }>() : null;
  for (const record of records) {
    values[0]!.push(record.id);
    values[1]!.push(prepared.hashes.get(record.id));
    const row = toRow(record, seal);
    for (let i = 0; i < row.length; i++) values[i + 2]!.push(row[i]);
    if (identifiers) identifiers.set(record.id, identifierDigests(cipher, identifierKeys!(record)));
  }
  return { columns: values.map(arrayLiteral), identifiers };
}

function identifierDigests(cipher: PracticeCipher, keys: readonly string[]): { kinds: string[]; digests: Buffer[] } {
  const kinds: string[] = [];
  const digests: Buffer[] = [];
  for (const key of new Set(keys)) {
    const colon = key.indexOf(':');
    kinds.push(colon > 0 ? key.slice(0, colon) : 'key');
    digests.push(cipher.blindIndex('identifier', key));
  }
  return { kinds, digests };
}

/** Replaces the identifier digests of the written rows; a row just inserted has none to delete. */
async function replaceIdentifiers(
  client: pg.PoolClient,
  practiceId: string,
  target: { table: string; idColumn: string },
  rows: readonly { id: string; source_id: string; inserted: boolean }[],
  identifiers: ReadonlyMap<string, { kinds: string[]; digests: Buffer[] }>,
): Promise<void> {
  const ids: string[] = [];
  const kinds: string[] = [];
  const digests: Buffer[] = [];
  for (const row of rows) {
    const own = identifiers.get(row.source_id)!;
    for (let i = 0; i < own.kinds.length; i++) {
      ids.push(row.id);
      kinds.push(own.kinds[i]!);
      digests.push(own.digests[i]!);
    }
  }
  const rewritten = rows.filter((r) => !r.inserted).map((r) => r.id);
  if (rewritten.length) await client.query(`DELETE FROM ${target.table} WHERE ${target.idColumn} = ANY($1::uuid[])`, [arrayLiteral(rewritten)]);
  await client.query(
    `INSERT INTO ${target.table} (${target.idColumn}, practice_id, kind, digest)
     SELECT u.id, $1::uuid, u.kind, u.digest FROM unnest($2::uuid[], $3::text[], $4::bytea[]) AS u(id, kind, digest)
     ON CONFLICT DO NOTHING`,
    [practiceId, arrayLiteral(ids), arrayLiteral(kinds), arrayLiteral(digests)],
  );
}

/** Marks records deleted because the source said so; already-deleted or unknown ids are ignored. */
export async function markRecordsDeleted(client: pg.PoolClient, target: RecordTarget, kind: RecordKind, sourceIds: readonly string[]): Promise<number> {
  const { rowCount } = await client.query(
    `UPDATE ${recordTables[kind].table} SET deleted_at = now(), updated_at = now()
      WHERE connection_id = $1 AND source_id = ANY($2::text[]) AND deleted_at IS NULL`,
    [target.connectionId, [...sourceIds]],
  );
  return rowCount ?? 0;
}

/**
 * Hard-delete detection: everything this connection holds of `kind` that the source no longer lists is marked
 * deleted; listed ids the platform lacks are returned so the connector can fetch them.
 */
export async function reconcileRecords(
  client: pg.PoolClient,
  target: RecordTarget,
  kind: RecordKind,
  liveIds: Iterable<string>,
): Promise<{ deleted: string[]; unknown: string[] }> {
  const live = new Set(liveIds);
  const { rows } = await client.query<{ source_id: string }>(
    `SELECT source_id FROM ${recordTables[kind].table} WHERE connection_id = $1 AND deleted_at IS NULL`,
    [target.connectionId],
  );
  const held = new Set(rows.map((r) => r.source_id));
  const deleted = [...held].filter((id) => !live.has(id));
  if (deleted.length) await markRecordsDeleted(client, target, kind, deleted);
  return { deleted, unknown: [...live].filter((id) => !held.has(id)) };
}

/**
 * A record's keyed content digest (`PracticeCipher.contentDigest`): equal content gives an equal hash without
 * decrypting, and the hash reveals nothing. Connectors build a kind's records with a fixed property order, so JSON.stringify is a
 * stable serialisation; if a new connector version reorders fields, records merely look changed once and are rewritten.
 */
export function contentHash(cipher: PracticeCipher, kind: RecordKind, record: unknown): Buffer {
  return cipher.contentDigest(kind, JSON.stringify(record));
}

/** Whether the connection holds any record of this kind yet (an initial sync can skip looking up stored versions). */
export async function hasRecords(client: pg.PoolClient, target: RecordTarget, kind: RecordKind): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM ${recordTables[kind].table} WHERE connection_id = $1 LIMIT 1`, [target.connectionId]);
  return rows.length > 0;
}
