import type pg from 'pg';
import type { RollupRow } from '../rollups.ts';

/** A practice's table written by a run: its columns after `practice_id`, in order, with their SQL types; `null`: nullable. */
export type WrittenColumns = readonly (readonly [name: string, type: string, nullable?: 'null'])[];

const ROLLUP_KEY = [['model', 'text'], ['day', 'date'], ['location_id', 'uuid', 'null'], ['channel', 'text'], ['campaign', 'text', 'null']] as const;
const ROLLUP_MEASURES = [
  'leads', 'linked_leads', 'new_patients', 'credited_patient_millionths', 'production_level1_cents', 'production_level2_cents',
  'production_level3_cents', 'collections_level1_cents', 'collections_level2_cents',
] as const;
const ROLLUP_COLUMNS: WrittenColumns = [...ROLLUP_KEY, ...ROLLUP_MEASURES.map((m) => [m, 'int8'] as const)];

/** Rollup rows as columns of values in the order of `ROLLUP_COLUMNS`. */
function rollupColumns(rows: readonly RollupRow[]): unknown[][] {
  return [
    rows.map((r) => r.model), rows.map((r) => r.day), rows.map((r) => r.locationId), rows.map((r) => r.channel), rows.map((r) => r.campaign),
    rows.map((r) => r.leads), rows.map((r) => r.linkedLeads), rows.map((r) => r.newPatients), rows.map((r) => r.creditedPatientMillionths),
    rows.map((r) => r.productionLevel1Cents), rows.map((r) => r.productionLevel2Cents), rows.map((r) => r.productionLevel3Cents),
    rows.map((r) => r.collectionsLevel1Cents), rows.map((r) => r.collectionsLevel2Cents),
  ];
}

const NOTHING: Record<string, string> = { uuid: `'00000000-0000-0000-0000-000000000000'`, text: `''` };

/**
 * `a` and `b` hold the same value in every column. Each comparison is a plain equality (nullable columns compared
 * through coalesce, with their nullness), so PostgreSQL can hash both sides rather than compare every pair.
 */
function sameRow(columns: WrittenColumns, a: string, b: string): string {
  return columns
    .flatMap(([name, type, nullable]) =>
      nullable
        ? [`coalesce(${a}.${name}, ${NOTHING[type]}) = coalesce(${b}.${name}, ${NOTHING[type]})`, `(${a}.${name} IS NULL) = (${b}.${name} IS NULL)`]
        : [`${a}.${name} = ${b}.${name}`],
    )
    .join(' AND ');
}

const unnestOf = (columns: WrittenColumns, from = 1) => `unnest(${columns.map(([, type], i) => `$${i + from}::${type}[]`).join(', ')})`;

/**
 * Replaces a practice's rows of `table` with `values` (columns of values in the order of `columns`) by difference:
 * rows stored and fresh alike stay where they are, the others are deleted or inserted (one hash anti-join each way
 * through a temporary table). A run that changes little writes little, and the pages of unchanged rows stay
 * all-visible, so the dashboards' index-only scans do not turn into heap reads after each run.
 */
export async function replaceByDifference(
  client: pg.PoolClient,
  practiceId: string,
  table: string,
  columns: WrittenColumns,
  values: readonly unknown[][],
): Promise<void> {
  const names = columns.map(([name]) => name).join(', ');
  const fresh = `fresh_${table}`;
  await client.query(`CREATE TEMP TABLE ${fresh} ON COMMIT DROP AS SELECT ${names} FROM ${table} WITH NO DATA`);
  const count = values[0]?.length ?? 0;
  for (let from = 0; from < count; from += 5_000) {
    await client.query(`INSERT INTO ${fresh} SELECT * FROM ${unnestOf(columns)}`, values.map((column) => column.slice(from, from + 5_000)));
  }
  await client.query(`ANALYZE ${fresh}`);
  // Both sides are whole practices: hash them. A practice's first run finds its rows estimated at none, and a nested
  // loop would scan the stored rows once per fresh row, the ones this statement inserts included (40 s for 77,000).
  await client.query('SET LOCAL enable_nestloop = off');
  const same = sameRow(columns, 'r', 'f');
  await client.query(`DELETE FROM ${table} r WHERE r.practice_id = $1 AND NOT EXISTS (SELECT 1 FROM ${fresh} f WHERE ${same})`, [practiceId]);
  await client.query(
    `INSERT INTO ${table} (practice_id, ${names}) SELECT $1, f.* FROM ${fresh} f
      WHERE NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.practice_id = $1 AND ${same})`,
    [practiceId],
  );
  await client.query('SET LOCAL enable_nestloop = on');
}

/** Inserts a practice's rows of `table` (columns of values in the order of `columns`). */
export async function insertRows(client: pg.PoolClient, practiceId: string, table: string, columns: WrittenColumns, values: readonly unknown[][]): Promise<void> {
  if ((values[0]?.length ?? 0) === 0) return;
  await client.query(
    `INSERT INTO ${table} (practice_id, ${columns.map(([name]) => name).join(', ')}) SELECT $1, d.* FROM ${unnestOf(columns, 2)} AS d`,
    [practiceId, ...values],
  );
}

/** A full run's rollups, written as a difference from the stored ones. */
export function replaceRollups(client: pg.PoolClient, practiceId: string, rows: readonly RollupRow[]): Promise<void> {
  return replaceByDifference(client, practiceId, 'attribution_rollups', ROLLUP_COLUMNS, rollupColumns(rows));
}

/**
 * Adds a delta (`rollupDelta`: fresh rows minus the stored rows of the contributors recomputed) to the stored rollups:
 * rows of a key already stored are added to, the others inserted, and rows the delta brought to all zeros deleted.
 * The caller holds the practice's attribution lock, so no other writer adds the same key meanwhile.
 */
export async function addRollupDelta(client: pg.PoolClient, practiceId: string, delta: readonly RollupRow[]): Promise<void> {
  if (delta.length === 0) return;
  const values = rollupColumns(delta);
  const sameKey = ROLLUP_KEY.map(([name, , nullable]) => (nullable ? `r.${name} IS NOT DISTINCT FROM d.${name}` : `r.${name} = d.${name}`)).join(' AND ');
  const { rows: updated } = await client.query<{ id: string; i: string }>(
    `UPDATE attribution_rollups r SET ${ROLLUP_MEASURES.map((m) => `${m} = r.${m} + d.${m}`).join(', ')}
       FROM ${unnestOf(ROLLUP_COLUMNS, 2)} WITH ORDINALITY AS d(${ROLLUP_COLUMNS.map(([name]) => name).join(', ')}, i)
      WHERE r.practice_id = $1 AND ${sameKey}
      RETURNING r.id::text, d.i::text`,
    [practiceId, ...values],
  );
  const stored = new Set(updated.map((row) => Number(row.i) - 1));
  await insertRows(client, practiceId, 'attribution_rollups', ROLLUP_COLUMNS, rollupColumns(delta.filter((_, i) => !stored.has(i))));
  await client.query(
    `DELETE FROM attribution_rollups WHERE practice_id = $1 AND id = ANY($2::bigint[]) AND ${ROLLUP_MEASURES.map((m) => `${m} = 0`).join(' AND ')}`,
    [practiceId, updated.map((row) => row.id)],
  );
}
