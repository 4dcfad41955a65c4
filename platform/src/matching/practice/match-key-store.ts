import type pg from 'pg';
import type { PracticeCipher } from '../../crypto/practice-keys.ts';
import { inline, sessionStatement, type StatementForm } from '../../db/session-statements.ts';
import { sqlLiteral } from '../../db/sql-literal.ts';
import { sqlArrayLiteral } from '../../records/array-literal.ts';
import type { KeyBlinder } from '../blocking.ts';
import { DEFAULT_MAX_BLOCK_SIZE } from '../engine.ts';
import type { MatchKeyStore, StoredBlock } from '../match-from-store.ts';
import type { PatientInput } from '../records.ts';
import { readCharts } from './match-inputs.ts';

/**
 * Blocking keys as the platform stores them: an HMAC under the practice's blind-index key (base64 in the engine,
 * bytea in the table), so equal keys meet in SQL and a dump reveals nothing. Every pass blinds again the keys of the
 * records it matches and of those it looks up, mostly the same ones, so each cipher remembers its keys' digests:
 * only as long as the key store keeps that cipher (minutes; never past a rotation, which makes a new one) and at most
 * `BLINDED_KEPT` of them, in this process's memory only, like the decrypted records matching holds anyway.
 */
export function matchKeyBlinder(cipher: PracticeCipher): KeyBlinder {
  let known = blinded.get(cipher);
  if (!known) blinded.set(cipher, (known = new Map()));
  const memo = known;
  return (key) => {
    let digest = memo.get(key);
    if (digest === undefined) {
      if (memo.size >= BLINDED_KEPT) memo.clear();
      memo.set(key, (digest = cipher.blindIndex('match-key', key).toString('base64')));
    }
    return digest;
  };
}

const blinded = new WeakMap<PracticeCipher, Map<string, string>>();
const BLINDED_KEPT = 100_000;

const digestOf = (key: string) => Buffer.from(key, 'base64');

/** The practice's chart_match_keys and charts, inside the caller's tenant transaction. */
export function postgresMatchKeyStore(client: pg.PoolClient, cipher: PracticeCipher, maxBlockSize = DEFAULT_MAX_BLOCK_SIZE): MatchKeyStore {
  return {
    async blocks(keys) {
      const { rows } = await client.query<{ digest: Buffer; size: number; ids: string[] | null }>({
        // Prepared once per connection, like the charts' read: both come several times in each incremental pass.
        name: 'read-match-key-blocks',
        text: `SELECT digest, count(*)::int AS size,
                      CASE WHEN count(*) <= $3 THEN array_agg(patient_id::text ORDER BY patient_id) END AS ids
                 FROM chart_match_keys
                WHERE practice_id = $1 AND digest = ANY($2::bytea[])
                GROUP BY digest`,
        values: [cipher.practiceId, keys.map(digestOf), maxBlockSize],
      });
      const found = new Map<string, StoredBlock>(rows.map((row) => [row.digest.toString('base64'), { size: row.size, ids: row.ids }]));
      return new Map(keys.map((key) => [key, found.get(key) ?? { size: 0, ids: [] }]));
    },
    async charts(ids): Promise<PatientInput[]> {
      return (await readCharts(client, cipher, ids)).map((read) => read.input);
    },
  };
}

/** One chart's keys as written: each blinded key with its kind. */
export interface ChartKeys {
  patientId: string;
  keys: readonly { kind: string; key: string }[];
}

/** Replaces the stored keys of these charts (none for a chart that no longer matches anyone). */
export async function replaceChartKeys(client: pg.PoolClient, practiceId: string, charts: readonly ChartKeys[], patientIds: readonly string[]): Promise<void> {
  await client.query('DELETE FROM chart_match_keys WHERE patient_id = ANY($1::uuid[])', [patientIds]);
  await insertChartKeys(client, practiceId, charts);
}

async function insertChartKeys(client: pg.PoolClient, practiceId: string, charts: readonly ChartKeys[]): Promise<void> {
  const ids: string[] = [];
  const kinds: string[] = [];
  const digests: Buffer[] = [];
  for (const chart of charts) {
    for (const { kind, key } of chart.keys) {
      ids.push(chart.patientId);
      kinds.push(kind);
      digests.push(digestOf(key));
    }
  }
  await inChunks(ids.length, (from, to) =>
    client.query(
      `INSERT INTO chart_match_keys (patient_id, practice_id, kind, digest)
       SELECT u.id, $1::uuid, u.kind, u.digest FROM unnest($2::uuid[], $3::text[], $4::bytea[]) AS u(id, kind, digest)
       ON CONFLICT DO NOTHING`,
      [practiceId, ids.slice(from, to), kinds.slice(from, to), digests.slice(from, to)],
    ),
  );
}

/** Replaces the stored keys of these leads. */
export async function replaceLeadKeys(
  client: pg.PoolClient,
  practiceId: string,
  leads: readonly { leadId: string; keys: readonly string[] }[],
  leadIds: readonly string[],
): Promise<void> {
  for (const statement of leadKeysStatements(practiceId, leads, leadIds)) await client.query(statement);
}

/** The same as statements, for a caller sending them with others (its `COMMIT`) in one round trip. */
export function leadKeysStatements(
  practiceId: string,
  leads: readonly { leadId: string; keys: readonly string[] }[],
  leadIds: readonly string[],
  form: StatementForm = inline,
): string[] {
  const statements = [form(DELETE_LEAD_KEYS, [sqlArrayLiteral(leadIds)])];
  const ids = leads.flatMap((lead) => lead.keys.map(() => lead.leadId));
  const digests = leads.flatMap((lead) => lead.keys.map(digestOf));
  for (let from = 0; from < ids.length; from += CHUNK) {
    const to = Math.min(ids.length, from + CHUNK);
    statements.push(form(INSERT_LEAD_KEYS, [sqlLiteral(practiceId), sqlArrayLiteral(ids.slice(from, to)), sqlArrayLiteral(digests.slice(from, to))]));
  }
  return statements;
}

const DELETE_LEAD_KEYS = sessionStatement('match_delete_lead_keys', ['uuid[]'], 'DELETE FROM lead_match_keys WHERE lead_id = ANY($1)');
const INSERT_LEAD_KEYS = sessionStatement(
  'match_insert_lead_keys',
  ['uuid', 'uuid[]', 'bytea[]'],
  'INSERT INTO lead_match_keys (lead_id, practice_id, digest) SELECT u.id, $1, u.digest FROM unnest($2, $3) AS u(id, digest) ON CONFLICT DO NOTHING',
);
/** What an incremental pass writes through `leadKeysStatements`, to prepare on its connection. */
export const LEAD_KEYS_STATEMENTS = [DELETE_LEAD_KEYS, INSERT_LEAD_KEYS];

/** Leads whose own keys include any of these: the leads a chart carrying them can be reached by. */
export async function leadsWithKeys(client: pg.PoolClient, practiceId: string, keys: readonly Buffer[]): Promise<string[]> {
  if (!keys.length) return [];
  const { rows } = await client.query<{ lead_id: string }>(
    'SELECT DISTINCT lead_id FROM lead_match_keys WHERE practice_id = $1 AND digest = ANY($2::bytea[])',
    [practiceId, keys],
  );
  return rows.map((r) => r.lead_id);
}

/** The stored keys of some charts, with their kinds. */
export async function storedChartKeys(client: pg.PoolClient, patientIds: readonly string[]): Promise<{ patientId: string; kind: string; digest: Buffer }[]> {
  const { rows } = await client.query<{ patient_id: string; kind: string; digest: Buffer }>(
    'SELECT patient_id, kind, digest FROM chart_match_keys WHERE patient_id = ANY($1::uuid[])',
    [patientIds],
  );
  return rows.map((r) => ({ patientId: r.patient_id, kind: r.kind, digest: r.digest }));
}

/** Charts carrying any of these keys (up to the block limit per key, as the engine would read them). */
export async function chartsWithKeys(client: pg.PoolClient, practiceId: string, keys: readonly Buffer[], maxBlockSize = DEFAULT_MAX_BLOCK_SIZE): Promise<string[]> {
  if (!keys.length) return [];
  const { rows } = await client.query<{ patient_id: string }>(
    `SELECT DISTINCT k.patient_id FROM chart_match_keys k
      WHERE k.practice_id = $1 AND k.digest IN (
        SELECT digest FROM chart_match_keys WHERE practice_id = $1 AND digest = ANY($2::bytea[]) GROUP BY digest HAVING count(*) <= $3)`,
    [practiceId, keys, maxBlockSize],
  );
  return rows.map((r) => r.patient_id);
}

/**
 * Makes the stored keys of the practice's charts these (a full run's): only charts whose keys differ are rewritten, and
 * charts not listed lose theirs. A refit changes the weights, not the keys, so most charts keep what they have, and
 * rewriting every key of a growing practice at each refit was most of a refit's writing.
 */
export async function syncChartKeys(client: pg.PoolClient, practiceId: string, charts: readonly ChartKeys[]): Promise<void> {
  const { rows } = await client.query<{ patient_id: string; kind: string; digest: Buffer }>(
    'SELECT patient_id, kind, digest FROM chart_match_keys WHERE practice_id = $1',
    [practiceId],
  );
  // A digest is stored once per chart, with the first kind carrying it (insertChartKeys' ON CONFLICT DO NOTHING).
  const entries = (keys: ChartKeys['keys']) => {
    const first = new Map<string, string>();
    for (const { kind, key } of keys) if (!first.has(key)) first.set(key, `${key} ${kind}`);
    return [...first.values()];
  };
  const { changed, gone } = differingOwners(
    rows.map((row) => [row.patient_id, `${row.digest.toString('base64')} ${row.kind}`]),
    charts.map((chart) => ({ owner: chart.patientId, entries: entries(chart.keys) })),
  );
  const rewrite = charts.filter((chart) => changed.has(chart.patientId));
  await replaceChartKeys(client, practiceId, rewrite, [...changed, ...gone]);
}

/** The same for the practice's leads. */
export async function syncLeadKeys(client: pg.PoolClient, practiceId: string, leads: readonly { leadId: string; keys: readonly string[] }[]): Promise<void> {
  const { rows } = await client.query<{ lead_id: string; digest: Buffer }>('SELECT lead_id, digest FROM lead_match_keys WHERE practice_id = $1', [practiceId]);
  const { changed, gone } = differingOwners(
    rows.map((row) => [row.lead_id, row.digest.toString('base64')]),
    leads.map((lead) => ({ owner: lead.leadId, entries: lead.keys })),
  );
  await replaceLeadKeys(client, practiceId, leads.filter((lead) => changed.has(lead.leadId)), [...changed, ...gone]);
}

/** Owners whose wanted entries (as a set) differ from the stored ones, and stored owners not wanted at all. */
function differingOwners(stored: readonly (readonly [string, string])[], wanted: readonly { owner: string; entries: readonly string[] }[]) {
  const held = new Map<string, Set<string>>();
  for (const [owner, entry] of stored) {
    let set = held.get(owner);
    if (!set) held.set(owner, (set = new Set()));
    set.add(entry);
  }
  const changed = new Set<string>();
  for (const { owner, entries } of wanted) {
    const had = held.get(owner);
    held.delete(owner);
    const want = new Set(entries);
    if (want.size !== (had?.size ?? 0) || [...want].some((entry) => !had!.has(entry))) changed.add(owner);
  }
  return { changed, gone: [...held.keys()] };
}

export const keyDigest = digestOf;

const CHUNK = 20_000;

async function inChunks(total: number, write: (from: number, to: number) => Promise<unknown>): Promise<void> {
  for (let from = 0; from < total; from += CHUNK) await write(from, Math.min(total, from + CHUNK));
}
