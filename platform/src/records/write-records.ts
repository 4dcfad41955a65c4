import type { RecordKind, RecordOf } from '@sourceline/sdk';
import type pg from 'pg';
import type { PracticeCipher } from '../crypto/practice-keys.ts';
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
  const table = recordTables[kind] as (typeof recordTables)[RecordKind];
  // The last emission of an id within one batch wins, as it would across batches.
  const byId = new Map(records.map((r) => [r.id, r]));
  const hashes = new Map([...byId].map(([id, record]) => [id, contentHash(cipher, kind, record)]));
  // One probe of the (connection_id, source_id) unique index per id, whatever the planner's statistics say: on a
  // table growing fast during an initial sync they are stale, and a join or `= ANY` then scans the whole connection.
  const { rows: stored } = options.knownNew
    ? { rows: [] }
    : await client.query<{ source_id: string; content_hash: Buffer; deleted: boolean }>(
        `SELECT t.source_id, t.content_hash, t.deleted_at IS NOT NULL AS deleted
           FROM unnest($2::text[]) AS ids(source_id)
           CROSS JOIN LATERAL (SELECT source_id, content_hash, deleted_at FROM ${table.table}
                                WHERE connection_id = $1 AND source_id = ids.source_id LIMIT 1) t`,
        [target.connectionId, [...byId.keys()]],
      );
  const unchanged = new Set(stored.filter((s) => !s.deleted && s.content_hash.equals(hashes.get(s.source_id)!)).map((s) => s.source_id));
  const changed = [...byId.values()].filter((r) => !unchanged.has(r.id));
  if (changed.length === 0) return { inserted: 0, updated: 0, skipped: byId.size };

  const seal = sealerFor(cipher, kind);
  const columns = table.columns;
  const arrays: unknown[][] = [[], [], ...columns.map(() => [])];
  for (const record of changed) {
    arrays[0]!.push(record.id);
    arrays[1]!.push(hashes.get(record.id));
    (table.toRow as (r: RecordOf<K>, s: typeof seal) => unknown[])(record, seal).forEach((value, i) => arrays[i + 2]!.push(value));
  }
  const names = columns.map((c) => c.name);
  // Ids come back only when identifiers must be written for them: a page of procedures needs just the counts.
  const withIdentifiers = Boolean(table.identifierTable && identifierKeys);
  const types = ['text', 'bytea', ...columns.map((c) => c.type)];
  const { rows } = await client.query<{ id: string; source_id: string; inserted: boolean }>(
    `INSERT INTO ${table.table} (practice_id, connection_id, source_id, content_hash, ${names.join(', ')})
     SELECT $1::uuid, $2::uuid, u.* FROM unnest(${types.map((t, i) => `$${i + 3}::${t}[]`).join(', ')}) AS u
     ON CONFLICT (connection_id, source_id) DO ${
       options.insertOnly
         ? 'NOTHING'
         : `UPDATE SET content_hash = EXCLUDED.content_hash, ${names.map((n) => `${n} = EXCLUDED.${n}`).join(', ')},
              deleted_at = NULL, updated_at = now()`
     }
     RETURNING ${withIdentifiers ? 'id, source_id, ' : ''}(xmax = 0) AS inserted`,
    [target.practiceId, target.connectionId, ...arrays],
  );
  if (withIdentifiers && table.identifierTable && identifierKeys) {
    await replaceIdentifiers(client, target.practiceId, cipher, table.identifierTable, rows, (sourceId) =>
      identifierKeys(byId.get(sourceId)!),
    );
  }
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted, skipped: byId.size - rows.length };
}

async function replaceIdentifiers(
  client: pg.PoolClient,
  practiceId: string,
  cipher: PracticeCipher,
  target: { table: string; idColumn: string },
  rows: readonly { id: string; source_id: string }[],
  keysOf: (sourceId: string) => readonly string[],
): Promise<void> {
  const ids: string[] = [];
  const kinds: string[] = [];
  const digests: Buffer[] = [];
  for (const row of rows) {
    for (const key of new Set(keysOf(row.source_id))) {
      const colon = key.indexOf(':');
      ids.push(row.id);
      kinds.push(colon > 0 ? key.slice(0, colon) : 'key');
      digests.push(cipher.blindIndex('identifier', key));
    }
  }
  await client.query(`DELETE FROM ${target.table} WHERE ${target.idColumn} = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
  await client.query(
    `INSERT INTO ${target.table} (${target.idColumn}, practice_id, kind, digest)
     SELECT u.id, $1::uuid, u.kind, u.digest FROM unnest($2::uuid[], $3::text[], $4::bytea[]) AS u(id, kind, digest)
     ON CONFLICT DO NOTHING`,
    [practiceId, ids, kinds, digests],
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
 * The HMAC of a record under the practice's blind-index key: equal content gives an equal hash without decrypting, and
 * the hash reveals nothing. Connectors build a kind's records with a fixed property order, so JSON.stringify is a
 * stable serialisation; if a new connector version reorders fields, records merely look changed once and are rewritten.
 */
export function contentHash(cipher: PracticeCipher, kind: RecordKind, record: unknown): Buffer {
  return cipher.blindIndex(`content:${kind}`, JSON.stringify(record));
}

/** Whether the connection holds any record of this kind yet (an initial sync can skip looking up stored versions). */
export async function hasRecords(client: pg.PoolClient, target: RecordTarget, kind: RecordKind): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM ${recordTables[kind].table} WHERE connection_id = $1 LIMIT 1`, [target.connectionId]);
  return rows.length > 0;
}
